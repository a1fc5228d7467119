#include "report/svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pelagos::report {
namespace {

constexpr int kLeft = 64, kRight = 16, kTop = 12, kBottom = 46;

double scaled(const Axis& a, double v) {
  if (!a.categories.empty()) return v;
  return a.log ? std::log10(std::max(v, 1e-300)) : v;
}

// "Nice" linear ticks: steps of 1, 2 or 5 x 10^k, about `count` of them.
std::vector<double> linear_ticks(double lo, double hi, int count) {
  std::vector<double> ticks;
  if (!(hi > lo)) return {lo};
  const double raw = (hi - lo) / count;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

// Tick positions in the axis' own (unscaled) units, with labels.
std::vector<std::pair<double, std::string>> ticks(const Axis& a) {
  std::vector<std::pair<double, std::string>> out;
  if (!a.categories.empty()) {
    for (size_t i = 0; i < a.categories.size(); ++i) out.emplace_back(double(i), a.categories[i]);
    return out;
  }
  if (a.log) {
    const double lo = std::log10(a.lo), hi = std::log10(a.hi);
    if (hi - lo >= 1.0) {
      for (double e = std::ceil(lo); e <= hi + 1e-9; e += 1.0) out.emplace_back(std::pow(10.0, e), short_number(std::pow(10.0, e)));
      return out;
    }
    for (double t : linear_ticks(lo, hi, 3)) out.emplace_back(std::pow(10.0, t), short_number(std::pow(10.0, t)));
    return out;
  }
  for (double t : linear_ticks(a.lo, a.hi, 5)) out.emplace_back(t, short_number(t));
  return out;
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string short_number(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "NaN" : (v > 0 ? "inf" : "-inf");
  return fmt::format("{:.4g}", v);
}

Axis padded_axis(std::string label, double lo, double hi, bool log) {
  Axis a;
  a.label = std::move(label);
  a.log = log && lo > 0;
  if (a.log) {
    double l = std::log10(lo), h = std::log10(hi);
    const double pad = h > l ? (h - l) * 0.05 : 0.5;
    a.lo = std::pow(10.0, l - pad);
    a.hi = std::pow(10.0, h + pad);
  } else {
    const double pad = hi > lo ? (hi - lo) * 0.05 : std::max(std::abs(lo) * 0.1, 0.5);
    a.lo = lo - pad;
    a.hi = hi + pad;
  }
  return a;
}

SvgPlot::SvgPlot(int width, int height, Axis x, Axis y)
    : width_(width), height_(height), x_(std::move(x)), y_(std::move(y)) {
  if (!x_.categories.empty()) {
    x_.lo = -0.5;
    x_.hi = double(x_.categories.size()) - 0.5;
  }
}

double SvgPlot::px(double x) const {
  const double lo = scaled(x_, x_.lo), hi = scaled(x_, x_.hi);
  return kLeft + (scaled(x_, x) - lo) / (hi - lo) * (width_ - kLeft - kRight);
}

double SvgPlot::py(double y) const {
  const double lo = scaled(y_, y_.lo), hi = scaled(y_, y_.hi);
  return height_ - kBottom - (scaled(y_, y) - lo) / (hi - lo) * (height_ - kTop - kBottom);
}

void SvgPlot::point(double x, double y, const std::string& css_class, const std::string& title) {
  if (!std::isfinite(x) || !std::isfinite(y)) return;
  body_ += fmt::format("<circle class=\"{}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\"><title>{}</title></circle>\n",
                       escape(css_class), px(x), py(y), escape(title));
}

void SvgPlot::polyline(const std::vector<std::pair<double, double>>& points, const std::string& css_class) {
  std::string coords;
  for (const auto& [x, y] : points)
    if (std::isfinite(x) && std::isfinite(y)) coords += fmt::format("{:.1f},{:.1f} ", px(x), py(y));
  if (!coords.empty())
    body_ += fmt::format("<polyline class=\"{}\" fill=\"none\" points=\"{}\"/>\n", escape(css_class), coords);
}

void SvgPlot::step_line(const std::vector<std::pair<double, double>>& points, const std::string& css_class) {
  std::vector<std::pair<double, double>> steps;
  for (size_t i = 0; i < points.size(); ++i) {
    if (i > 0) steps.emplace_back(points[i].first, points[i - 1].second);
    steps.push_back(points[i]);
  }
  polyline(steps, css_class);
}

std::string SvgPlot::svg(const std::string& aria_label) const {
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\">\n",
      escape(aria_label), width_, height_, width_, height_);
  const double x0 = kLeft, x1 = width_ - kRight, y0 = height_ - kBottom, y1 = kTop;
  out += fmt::format("<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n", x0, y1, x1 - x0, y0 - y1);
  for (const auto& [v, label] : ticks(x_)) {
    const double x = px(v);
    if (x < x0 - 0.5 || x > x1 + 0.5) continue;
    out += fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\"/>"
                       "<text class=\"tick\" x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                       x, y1, y0, y0 + 15, escape(label));
  }
  for (const auto& [v, label] : ticks(y_)) {
    const double y = py(v);
    if (y < y1 - 0.5 || y > y0 + 0.5) continue;
    out += fmt::format("<line class=\"grid\" x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\"/>"
                       "<text class=\"tick\" x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
                       x0, y, x1, x0 - 5, y + 4, escape(label));
  }
  out += fmt::format("<text class=\"axis\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", (x0 + x1) / 2,
                     height_ - 8, escape(x_.label));
  out += fmt::format("<text class=\"axis\" transform=\"translate(14,{:.1f}) rotate(-90)\" text-anchor=\"middle\">{}"
                     "</text>\n",
                     (y0 + y1) / 2, escape(y_.label));
  out += body_;
  out += "</svg>\n";
  return out;
}

std::string svg_bars(const std::vector<Bar>& bars, const std::vector<std::string>& series_names,
                     const std::vector<std::string>& series_classes, double max, const std::string& aria_label) {
  size_t longest = 4;
  for (const Bar& b : bars) longest = std::max(longest, b.label.size());
  const int label_w = static_cast<int>(std::min<size_t>(longest, 28) * 7 + 10);
  const int bar_h = 12, group_gap = 10, plot_w = 360, legend_h = series_names.size() > 1 ? 22 : 0;
  const int n = static_cast<int>(series_classes.size());
  const int height = legend_h + static_cast<int>(bars.size()) * (n * bar_h + group_gap) + 24;
  const int width = label_w + plot_w + 70;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\">\n",
      escape(aria_label), width, height, width, height);
  if (legend_h) {
    int x = label_w;
    for (int s = 0; s < n; ++s) {
      out += fmt::format("<rect class=\"{}\" x=\"{}\" y=\"4\" width=\"12\" height=\"12\"/>"
                         "<text class=\"tick\" x=\"{}\" y=\"14\">{}</text>\n",
                         escape(series_classes[s]), x, x + 16, escape(series_names[s]));
      x += 16 + static_cast<int>(series_names[s].size()) * 7 + 18;
    }
  }
  int y = legend_h;
  for (const Bar& b : bars) {
    const std::string label = b.label.size() > 28 ? b.label.substr(0, 27) + "\u2026" : b.label;
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}<title>{}</title></text>\n",
                       label_w - 6, y + n * bar_h / 2 + 4, escape(label), escape(b.label));
    for (int s = 0; s < n && s < static_cast<int>(b.values.size()); ++s) {
      const double v = std::isfinite(b.values[s]) ? std::clamp(b.values[s], 0.0, max) : 0.0;
      const double w = max > 0 ? v / max * plot_w : 0;
      const std::string title = s < static_cast<int>(b.titles.size()) ? b.titles[s] : short_number(b.values[s]);
      out += fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\"><title>{}</title></rect>"
                         "<text class=\"value\" x=\"{:.1f}\" y=\"{}\">{}</text>\n",
                         escape(series_classes[s]), label_w, y + s * bar_h, w, bar_h - 2, escape(title),
                         label_w + w + 4, y + s * bar_h + bar_h - 3, escape(short_number(b.values[s])));
    }
    y += n * bar_h + group_gap;
  }
  out += fmt::format("<line class=\"axisline\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>\n", label_w, legend_h,
                     y - group_gap);
  out += "</svg>\n";
  return out;
}

std::string svg_heatmap(const std::vector<std::string>& labels, const std::vector<std::vector<int>>& counts,
                        const std::string& aria_label) {
  const int n = static_cast<int>(labels.size());
  size_t longest = 4;
  for (const auto& l : labels) longest = std::max(longest, l.size());
  const int label_w = static_cast<int>(std::min<size_t>(longest, 28) * 7 + 12);
  const int cell = n <= 8 ? 56 : n <= 16 ? 36 : 24;
  const int top = label_w + 20, left = label_w + 20;
  const int width = left + n * cell + 10, height = top + n * cell + 10;
  auto shown = [](const std::string& l) { return l.size() > 28 ? l.substr(0, 27) + "\u2026" : l; };
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\">\n",
      escape(aria_label), width, height, width, height);
  out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"12\" text-anchor=\"middle\">predicted</text>\n",
                     left + n * cell / 2);
  out += fmt::format("<text class=\"axis\" transform=\"translate(12,{}) rotate(-90)\" text-anchor=\"middle\">truth"
                     "</text>\n",
                     top + n * cell / 2);
  for (int i = 0; i < n; ++i) {
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}<title>{}</title></text>\n",
                       left - 6, top + i * cell + cell / 2 + 4, escape(shown(labels[i])), escape(labels[i]));
    out += fmt::format("<text class=\"tick\" transform=\"translate({},{}) rotate(-60)\">{}<title>{}</title></text>\n",
                       left + i * cell + cell / 2 + 4, top - 6, escape(shown(labels[i])), escape(labels[i]));
  }
  for (int r = 0; r < n && r < static_cast<int>(counts.size()); ++r) {
    int total = 0;
    for (int c : counts[r]) total += c;
    for (int c = 0; c < n && c < static_cast<int>(counts[r].size()); ++c) {
      const double share = total > 0 ? double(counts[r][c]) / total : 0.0;
      const std::string title = fmt::format("truth {} → predicted {}: {} of {} ({:.1f} %)", labels[r], labels[c],
                                            counts[r][c], total, share * 100);
      out += fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill-opacity=\"{:.3f}\">"
                         "<title>{}</title></rect>",
                         r == c ? "cell diag" : "cell off", left + c * cell, top + r * cell, cell - 1, cell - 1,
                         0.06 + 0.94 * share, escape(title));
      out += fmt::format("<text class=\"{}\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                         share > 0.55 ? "count light" : "count", left + c * cell + cell / 2,
                         top + r * cell + cell / 2 + 4, counts[r][c]);
    }
  }
  out += "</svg>\n";
  return out;
}

}  // namespace pelagos::report
