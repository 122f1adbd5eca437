// Chart.js (vendored chart.umd.min.js, MIT) draws on canvas: no inline style or script, so it keeps to the CSP.
import { h } from "./dom.js";

const live = new Set();

export function chart(title, config) {
  const canvas = h("canvas", { role: "img", "aria-label": title });
  const box = h("figure", { class: "chart" }, h("figcaption", {}, title), h("div", { class: "plot" }, canvas));
  queueMicrotask(() => {
    if (!window.Chart) return;
    const options = { animation: false, responsive: true, maintainAspectRatio: false, ...config.options };
    live.add(new window.Chart(canvas, { ...config, options }));
  });
  return box;
}

// A page drawn again releases the charts of the one before.
export function releaseCharts() {
  for (const item of live) item.destroy();
  live.clear();
}
