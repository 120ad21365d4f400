// The original page by page with pdf.js (vendored by scripts/preview_assets.sh).
// Opens at data-start-page (the first page matching the search the reader came
// from, found by the server in the extracted text) and highlights data-words
// in pdf.js's text layer, with or without diacritics. No inline script: the
// page's Content-Security-Policy allows only scripts and workers from 'self'.
const frame = document.querySelector("[data-pdf-viewer]");

async function start() {
  const pdfjsLib = await import(frame.dataset.lib);
  // pdf_viewer.mjs reads the library from globalThis (that is how pdfjs-dist ships it).
  globalThis.pdfjsLib = pdfjsLib;
  const viewerLib = await import(frame.dataset.viewerLib);
  pdfjsLib.GlobalWorkerOptions.workerSrc = frame.dataset.worker;

  const container = frame.querySelector(".preview-pages");
  const eventBus = new viewerLib.EventBus();
  const linkService = new viewerLib.PDFLinkService({ eventBus });
  const viewer = new viewerLib.PDFViewer({
    container, eventBus, linkService,
    removePageBorders: false,
    annotationMode: pdfjsLib.AnnotationMode.DISABLE, // no forms, links or scripts of the file
    enableScripting: false,
  });
  linkService.setViewer(viewer);

  const assets = frame.dataset.assets;
  const pdf = await pdfjsLib.getDocument({
    url: frame.dataset.src,
    withCredentials: true,
    disableRange: true, disableStream: true, // one request: one audit entry for secret files
    isEvalSupported: false,
    enableXfa: false,
    standardFontDataUrl: `${assets}standard_fonts/`,
    cMapUrl: `${assets}cmaps/`, cMapPacked: true,
    // JPEG 2000 and JBIG2 scans decode with the JavaScript fallbacks: WebAssembly
    // would need 'wasm-unsafe-eval' in the Content-Security-Policy.
    wasmUrl: `${assets}wasm/`, useWasm: false,
  }).promise;

  const toolbar = document.querySelector("[data-pdf-toolbar]");
  const pageOut = toolbar.querySelector("[data-pdf-page]");
  toolbar.querySelector("[data-pdf-pages]").textContent = pdf.numPages;
  const startPage = Math.min(Math.max(1, parseInt(frame.dataset.startPage, 10) || 1), pdf.numPages);
  const words = JSON.parse(frame.dataset.words || "[]");

  eventBus.on("pagesinit", () => {
    viewer.currentScaleValue = "page-width";
    viewer.currentPageNumber = startPage;
    // Coming from a search, the matching page is what the reader wants to see.
    if (words.length) frame.closest(".preview").scrollIntoView({ block: "start" });
    frame.dataset.ready = "1";
  });
  // Each page's text layer, once drawn: mark the searched words in it.
  eventBus.on("textlayerrendered", ({ source }) => highlight(source.div, words));
  eventBus.on("pagechanging", ({ pageNumber }) => {
    pageOut.textContent = pageNumber;
    frame.dataset.page = pageNumber;
  });
  toolbar.querySelector("[data-pdf-prev]").addEventListener("click", () => viewer.previousPage());
  toolbar.querySelector("[data-pdf-next]").addEventListener("click", () => viewer.nextPage());
  for (const button of toolbar.querySelectorAll("[data-pdf-zoom]")) {
    button.addEventListener("click", () => {
      const factor = button.dataset.pdfZoom === "1" ? 1.25 : 0.8;
      viewer.currentScale = Math.min(4, Math.max(0.25, viewer.currentScale * factor));
    });
  }
  container.addEventListener("keydown", (event) => {
    if (event.key === "PageDown" || event.key === "ArrowRight") viewer.nextPage();
    else if (event.key === "PageUp" || event.key === "ArrowLeft") viewer.previousPage();
    else return;
    event.preventDefault();
  });
  toolbar.hidden = false;
  viewer.setDocument(pdf);
  linkService.setDocument(pdf, null);
  frame.dataset.page = startPage;
}

// Lowercase without diacritics, one character for one (offsets stay valid):
// "Giả mạo" -> "gia mao", "Đ" -> "d".
function fold(text) {
  let out = "";
  for (const ch of text) {
    const base = ch.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace("đ", "d");
    out += base.length === 1 ? base : ch.toLowerCase().slice(0, 1);
  }
  return out;
}

// A word typed without diacritics matches every spelling ("gia" marks "giả", "già");
// a word typed with them matches only its own spelling, as search snippets do.
function highlight(pageDiv, words) {
  const wanted = words.filter((w) => w.length > 1).map((w) => {
    const lower = w.toLowerCase().normalize("NFC");
    const plain = fold(lower) === lower;
    return { chars: [...(plain ? fold(lower) : lower)], plain };
  });
  if (!wanted.length) return;
  const wordChar = /[\p{L}\p{N}]/u;
  for (const span of pageDiv.querySelectorAll(".textLayer span")) {
    if (span.children.length || !span.textContent) continue;
    const chars = [...span.textContent.normalize("NFC")];
    const lower = chars.map((c) => c.toLowerCase().slice(0, 1));
    const folded = [...fold(chars.join(""))];
    const marked = new Array(chars.length).fill(false);
    for (const { chars: w, plain } of wanted) {
      const text = plain ? folded : lower;
      for (let i = 0; i + w.length <= text.length; i += 1) {
        if (w.some((c, k) => text[i + k] !== c)) continue;
        if (wordChar.test(text[i - 1] || "") || wordChar.test(text[i + w.length] || "")) continue;
        marked.fill(true, i, i + w.length);
      }
    }
    if (!marked.includes(true)) continue;
    const parts = [];
    let start = 0;
    for (let i = 1; i <= chars.length; i += 1) {
      if (i === chars.length || marked[i] !== marked[start]) {
        const piece = chars.slice(start, i).join("");
        if (marked[start]) {
          const mark = document.createElement("span");
          mark.className = "highlight appended"; // appended: inline, as pdf.js marks
          mark.textContent = piece;
          parts.push(mark);
        } else {
          parts.push(document.createTextNode(piece));
        }
        start = i;
      }
    }
    span.replaceChildren(...parts);
  }
}

if (frame) {
  start().catch((error) => {
    const note = document.createElement("p");
    note.className = "error";
    note.textContent = frame.dataset.error;
    frame.replaceWith(note);
    console.warn("preview:", error);
  });
}
