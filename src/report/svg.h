// Small SVG charts for the self-contained HTML report: no scripts, every label
// escaped, hover details as <title> elements (the browser shows them natively).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace pelagos::report {

// Escapes & < > " ' for HTML/SVG text and attribute values.
std::string escape(std::string_view text);

// Short number labels: 4 significant digits, no trailing zeros.
std::string short_number(double v);

struct Axis {
  std::string label;
  double lo = 0, hi = 1;
  bool log = false;                      // log10 scale (lo, hi > 0)
  std::vector<std::string> categories;  // non-empty: positions 0..n-1 are these names
};

// An x/y chart: axes with ticks, then points and polylines in data coordinates.
class SvgPlot {
 public:
  SvgPlot(int width, int height, Axis x, Axis y);
  // css_class picks the look (see the report's stylesheet); title is the hover text.
  void point(double x, double y, const std::string& css_class, const std::string& title);
  void polyline(const std::vector<std::pair<double, double>>& points, const std::string& css_class);
  void step_line(const std::vector<std::pair<double, double>>& points, const std::string& css_class);
  std::string svg(const std::string& aria_label) const;

 private:
  double px(double x) const;
  double py(double y) const;
  int width_, height_;
  Axis x_, y_;
  std::string body_;
};

// Axis limits padded around the data (5 %), for a value range [lo, hi].
Axis padded_axis(std::string label, double lo, double hi, bool log = false);

struct Bar {
  std::string label;
  std::vector<double> values;  // one per series, in [0, max]
  std::vector<std::string> titles;
};
// Horizontal grouped bars: one row per Bar, one bar per series (series_classes
// give their look, series_names the legend), values scaled to `max`.
std::string svg_bars(const std::vector<Bar>& bars, const std::vector<std::string>& series_names,
                     const std::vector<std::string>& series_classes, double max, const std::string& aria_label);

// Confusion-matrix heatmap: rows are the truth, columns the prediction; cell
// shade is the row-normalised share, the text the count.
std::string svg_heatmap(const std::vector<std::string>& labels, const std::vector<std::vector<int>>& counts,
                        const std::string& aria_label);

}  // namespace pelagos::report
