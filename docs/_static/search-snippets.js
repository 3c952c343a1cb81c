/* Readable search results: the text under each result is taken from the
 * page's prose, one block after another with a space between them, without
 * code cells or their outputs, and with the formulas' TeX delimiters
 * dropped (\(p - t\) reads as p - t). Sphinx's own summary joins headings
 * and paragraphs with no space and shows formulas as raw TeX. */
(() => {
  const BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, figcaption";
  const SKIP = ".headerlink, script, style, .cell_input, .cell_output, nav, .toctree-wrapper";
  const SYMBOLS = {alpha: "α", eta: "η", lambda: "λ", sigma: "σ", nabla: "∇", partial: "∂",
    sum: "Σ", cdot: "·", times: "×", leftarrow: "←", rightarrow: "→", le: "≤", ge: "≥",
    approx: "≈", top: "ᵀ", log: "log", exp: "exp", max: "max"};
  // TeX to plain text: no delimiters, common symbols as characters, other commands dropped.
  const untex = (text) => text.replace(/\\[()[\]]/g, "").replace(/\$+/g, "")
    .replace(/\\([a-zA-Z]+)/g, (_, name) => SYMBOLS[name] ?? "")
    .replace(/\\[,;!]/g, " ").replace(/[{}]/g, "");

  const proseOf = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(SKIP).forEach((node) => node.remove());
    const main = page.querySelector('[role="main"]') || page.body;
    const root = (anchor && main.querySelector(anchor)) || main;
    const blocks = [...root.querySelectorAll(BLOCKS)]
      // a block inside another block (a paragraph in a list item) is read once, with its parent
      .filter((node) => !node.parentElement.closest(BLOCKS));
    return blocks.map((node) => untex(node.textContent).replace(/\s+/g, " ").trim())
      .filter(Boolean).join(" ");
  };

  const install = () => {
    if (typeof Search !== "undefined" && Search.htmlToText) Search.htmlToText = proseOf;
  };
  install();
  document.addEventListener("DOMContentLoaded", install);
})();
