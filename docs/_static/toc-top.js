/* The "On this page" list highlights the section being read. The theme's
 * scroll spy never clears its highlight, so after a jump back to the top of
 * the page the last section read stayed highlighted; above the first section
 * no entry is highlighted now. */
(() => {
  const clearAtTop = () => {
    const first = document.querySelector(".page-toc a.nav-link");
    const target = first && document.getElementById(decodeURIComponent(first.hash.slice(1)));
    if (!target || target.getBoundingClientRect().top <= window.innerHeight / 3) return;
    document.querySelectorAll(".page-toc .active").forEach((node) => {
      node.classList.remove("active");
    });
  };
  document.addEventListener("scroll", () => setTimeout(clearAtTop, 100), {passive: true});
})();
