// The HTML report: one file, inline CSS and SVG, no scripts and no network, so
// it opens anywhere (a mail attachment, a file share, a browser without net).
// Every string from the outside (species names, paths, parameter values) goes
// through escape().
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "report/importance.h"
#include "report/provenance.h"
#include "report/study_view.h"
#include "report/svg.h"

namespace pelagos {
namespace {

using report::escape;
using report::short_number;

constexpr const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2733;background:#f4f6f8}
header{background:#0b3954;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px;font-weight:600}
header p{margin:4px 0 0;opacity:.85;font-size:14px}
main{padding:8px 28px 40px;max-width:1200px}
section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:14px 20px;margin:18px 0}
h2{font-size:17px;margin:4px 0 10px;color:#0b3954}
h3{font-size:14px;margin:8px 0 4px}
.note{color:#5a6b7b;font-size:13px;margin:4px 0 10px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#eef3f7;border-radius:6px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:20px;color:#0b3954}
.card span{font-size:12px;color:#5a6b7b}
.grid2{display:flex;flex-wrap:wrap;gap:14px}
table{border-collapse:collapse;font-size:13px}
th,td{padding:3px 10px;border-bottom:1px solid #e1e6eb;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.wrap{word-break:break-all;max-width:760px}
svg{font-size:11px;background:#fff}
svg .frame{fill:none;stroke:#9aa8b5}
svg .grid{stroke:#e6eaee}
svg .tick{fill:#3d4b58}
svg .axis{fill:#1d2733;font-size:12px}
svg .value{fill:#3d4b58;font-size:10px}
svg .axisline{stroke:#9aa8b5}
svg .complete{fill:#1f77b4;fill-opacity:.85}
svg .pruned{fill:#ff7f0e;fill-opacity:.8}
svg .best{stroke:#d62728;stroke-width:2}
svg .curve-complete{stroke:#1f77b4;stroke-width:1.3;stroke-opacity:.75}
svg .curve-pruned{stroke:#ff7f0e;stroke-width:1.3;stroke-dasharray:4 3}
svg .bar-p{fill:#1f77b4} svg .bar-r{fill:#2ca02c} svg .bar-f1{fill:#9467bd} svg .bar-imp{fill:#17becf}
svg .cell.diag{fill:#1a7f37} svg .cell.off{fill:#c62828}
svg .count{fill:#1d2733;font-size:12px} svg .count.light{fill:#fff}
.legend span{display:inline-block;margin-right:14px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px;vertical-align:middle}
footer{color:#5a6b7b;font-size:12px;padding:0 28px 24px}
)";

std::string card(const std::string& value, const std::string& label) {
  return fmt::format("<div class=\"card\"><b>{}</b><span>{}</span></div>", escape(value), escape(label));
}

std::string fmt_value(double v) { return fmt::format("{:.4f}", v); }

std::string history_section(const StudySnapshot& s) {
  const auto points = report::optimisation_history(s);
  std::string out = "<section id=\"history\"><h2>Optimisation history</h2>";
  out += fmt::format("<p class=\"note\">Objective value of every trial ({} study; pruned trials at their last "
                     "reported value) and the best so far. Trials: {}.</p>",
                     s.direction == tune::StudyDirection::Maximize ? "maximised" : "minimised", report::state_counts(s));
  if (points.empty()) return out + "<p>No trial has a value yet.</p></section>";
  double lo = points[0].value, hi = lo;
  int last = 0;
  for (const auto& p : points) {
    lo = std::min(lo, p.value);
    hi = std::max(hi, p.value);
    last = std::max(last, p.number);
  }
  report::SvgPlot plot(640, 300, report::padded_axis("trial", 0, last), report::padded_axis("objective value", lo, hi));
  std::vector<std::pair<double, double>> best;
  for (const auto& p : points)
    if (std::isfinite(p.best_so_far)) best.emplace_back(p.number, p.best_so_far);
  if (!best.empty()) best.emplace_back(last, best.back().second);
  plot.step_line(best, "best");
  for (const auto& p : points)
    plot.point(p.number, p.value, p.state == tune::TrialState::Complete ? "complete" : "pruned",
               fmt::format("trial {} ({}): {}", p.number, tune::to_string(p.state), fmt_value(p.value)));
  out += "<div class=\"legend\"><span><i style=\"background:#1f77b4\"></i>complete</span>"
         "<span><i style=\"background:#ff7f0e\"></i>pruned</span>"
         "<span><i style=\"background:#d62728;height:3px;border-radius:0\"></i>best so far</span></div>";
  return out + plot.svg("optimisation history") + "</section>";
}

std::string intermediate_section(const StudySnapshot& s) {
  std::string out = "<section id=\"intermediate\"><h2>Intermediate values</h2>"
                    "<p class=\"note\">Validation accuracy after each epoch, one line per trial; pruned trials are "
                    "dashed orange and end where the pruner stopped them.</p>";
  double lo = 0, hi = 0, last_step = 0;
  bool any = false;
  for (const auto& t : s.trials)
    for (const auto& [step, v] : t.intermediate_values) {
      if (!std::isfinite(v)) continue;
      lo = any ? std::min(lo, v) : v;
      hi = any ? std::max(hi, v) : v;
      last_step = std::max<double>(last_step, step);
      any = true;
    }
  if (!any) return out + "<p>No trial reported intermediate values.</p></section>";
  report::SvgPlot plot(640, 300, report::padded_axis("step (epoch)", 0, last_step),
                       report::padded_axis("intermediate value", lo, hi));
  for (const auto& t : s.trials) {
    std::vector<std::pair<double, double>> pts;
    for (const auto& [step, v] : t.intermediate_values) pts.emplace_back(double(step), v);
    const bool pruned = t.state == tune::TrialState::Pruned;
    plot.polyline(pts, pruned ? "curve-pruned" : "curve-complete");
    if (!pts.empty())
      plot.point(pts.back().first, pts.back().second, pruned ? "pruned" : "complete",
                 fmt::format("trial {} ({}), step {}: {}", t.number, tune::to_string(t.state), pts.back().first,
                             fmt_value(pts.back().second)));
  }
  return out + plot.svg("intermediate values") + "</section>";
}

std::string params_section(const StudySnapshot& s) {
  std::map<std::string, tune::Distribution> space;
  for (const auto& t : s.trials)
    for (const auto& [name, dist] : t.distributions) space.emplace(name, dist);
  std::string out = "<section id=\"params\"><h2>Parameters vs. objective</h2>"
                    "<p class=\"note\">One panel per hyperparameter: each completed trial at its value "
                    "(log axis for log-scale parameters).</p><div class=\"grid2\">";
  if (space.empty()) return out + "</div><p>The study has no parameters.</p></section>";
  for (const auto& [name, dist] : space) {
    std::vector<std::pair<double, double>> pts;
    std::vector<std::string> titles;
    double ylo = 0, yhi = 0;
    for (const auto& t : s.trials) {
      auto it = t.params.find(name);
      if (t.state != tune::TrialState::Complete || !t.value || it == t.params.end()) continue;
      const double x = dist.kind == tune::Distribution::Kind::Categorical ? it->second
                                                                          : dist.to_external(it->second).get<double>();
      ylo = pts.empty() ? *t.value : std::min(ylo, *t.value);
      yhi = pts.empty() ? *t.value : std::max(yhi, *t.value);
      pts.emplace_back(x, *t.value);
      titles.push_back(fmt::format("trial {}: {} = {} → {}", t.number, name, dist.to_external(it->second).dump(),
                                   fmt_value(*t.value)));
    }
    report::Axis x;
    if (dist.kind == tune::Distribution::Kind::Categorical) {
      x.label = name;
      for (const auto& c : dist.choices) x.categories.push_back(c.is_string() ? c.get<std::string>() : c.dump());
    } else {
      x = report::padded_axis(name, dist.low, dist.high, dist.log);
    }
    report::SvgPlot plot(300, 220, x, report::padded_axis("objective", ylo, yhi));
    for (size_t i = 0; i < pts.size(); ++i) plot.point(pts[i].first, pts[i].second, "complete", titles[i]);
    out += "<div>" + plot.svg("objective vs " + name) + "</div>";
  }
  return out + "</div></section>";
}

std::string importance_section(const StudySnapshot& s) {
  const auto imp = report::param_importance(s.trials);
  std::string out = "<section id=\"importance\"><h2>Hyperparameter importance</h2>"
                    "<p class=\"note\">Method: first-order variance decomposition (the main effects of fANOVA, "
                    "without a surrogate model). For each parameter the completed trials are grouped by its value "
                    "(per choice, or up to 5 equal-count bins on its own axis, log if log-scale); the bar is the "
                    "share of the objective's variance the groups explain (ε², η² corrected for the number of "
                    "groups), normalised over the parameters. Interactions are not separated; with few trials this "
                    "is a rough guide.</p>";
  if (imp.empty()) return out + "<p>Needs at least 3 completed trials with different values.</p></section>";
  std::vector<report::Bar> bars;
  for (const auto& p : imp)
    bars.push_back({p.name, {p.share}, {fmt::format("{}: share {:.3f}, ε² {:.3f} over {} groups", p.name, p.share,
                                                     p.epsilon_squared, p.groups)}});
  return out + report::svg_bars(bars, {"share"}, {"bar-imp"}, 1.0, "hyperparameter importance") + "</section>";
}

std::string best_section(const StudySnapshot& s) {
  const auto best = report::best_trial(s);
  std::string out = "<section id=\"best\"><h2>Study</h2><div class=\"cards\">";
  out += card(s.name, "study");
  out += card(std::to_string(s.trials.size()), "trials");
  if (best) {
    out += card(fmt_value(*best->value), fmt::format("best value (trial {})", best->number));
  }
  out += "</div>";
  if (best) {
    out += "<h3>Best parameters</h3><table><tr><th>parameter</th><th>value</th></tr>";
    const nlohmann::json params = best->params_json();
    for (const auto& [k, v] : params.items())
      out += fmt::format("<tr><td>{}</td><td>{}</td></tr>", escape(k), escape(v.is_string() ? v.get<std::string>() : v.dump()));
    out += "</table>";
  }
  return out + "</section>";
}

std::string trials_table(const StudySnapshot& s) {
  std::set<std::string> names;
  for (const auto& t : s.trials)
    for (const auto& [n, v] : t.params) names.insert(n);
  std::string out = "<section id=\"trials\"><h2>All trials</h2><table><tr><th class=\"num\">#</th><th>state</th>"
                    "<th class=\"num\">value</th><th class=\"num\">epochs</th>";
  for (const auto& n : names) out += "<th>" + escape(n) + "</th>";
  out += "</tr>";
  for (const auto& t : s.trials) {
    out += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                       t.number, tune::to_string(t.state), t.value ? fmt_value(*t.value) : "", t.intermediate_values.size());
    for (const auto& n : names) {
      auto it = t.params.find(n);
      std::string v;
      if (it != t.params.end()) {
        const auto ext = t.distributions.at(n).to_external(it->second);
        v = ext.is_string() ? ext.get<std::string>() : (ext.is_number_float() ? short_number(ext.get<double>()) : ext.dump());
      }
      out += "<td>" + escape(v) + "</td>";
    }
    out += "</tr>";
  }
  return out + "</table></section>";
}

std::string evaluation_section(const nlohmann::json& e) {
  std::string out = "<section id=\"evaluation\"><h2>Evaluation";
  if (e.contains("split")) out += " on the " + escape(e["split"].get<std::string>()) + " split";
  out += "</h2><div class=\"cards\">";
  for (const auto& [key, label] : {std::pair{"accuracy", "accuracy"}, {"balanced_accuracy", "balanced accuracy"},
                                   {"macro_f1", "macro F1"}})
    if (e.contains(key)) out += card(fmt_value(e[key].get<double>()), label);
  if (e.contains("clips")) out += card(std::to_string(e["clips"].get<int>()), "clips");
  out += "</div>";
  const auto labels = e.value("labels", std::vector<std::string>{});
  if (e.contains("confusion_matrix") && !labels.empty()) {
    out += "<div class=\"grid2\"><div><h3>Confusion matrix</h3><p class=\"note\">Counts; shading is the share of the "
           "row (the true species), green on the diagonal, red off it.</p>";
    out += report::svg_heatmap(labels, e["confusion_matrix"].get<std::vector<std::vector<int>>>(), "confusion matrix");
    out += "</div>";
  }
  if (e.contains("per_class") && !labels.empty()) {
    std::vector<report::Bar> bars;
    for (const auto& l : labels) {
      if (!e["per_class"].contains(l)) continue;
      const auto& c = e["per_class"][l];
      const double p = c.value("precision", 0.0), r = c.value("recall", 0.0), f = c.value("f1", 0.0);
      const int support = c.value("support", 0);
      bars.push_back({l, {p, r, f},
                      {fmt::format("{}: precision {:.3f}", l, p), fmt::format("{}: recall {:.3f} ({} clips)", l, r, support),
                       fmt::format("{}: F1 {:.3f}", l, f)}});
    }
    out += "<div><h3>Per species</h3>";
    out += report::svg_bars(bars, {"precision", "recall", "F1"}, {"bar-p", "bar-r", "bar-f1"}, 1.0,
                            "per-class precision, recall and F1");
    out += "</div>";
  }
  if (e.contains("confusion_matrix") && !labels.empty()) out += "</div>";
  return out + "</section>";
}

std::string dataset_section(const nlohmann::json& d) {
  std::string out = "<section id=\"dataset\"><h2>Dataset</h2>";
  if (d.contains("root")) out += "<p class=\"note\">" + escape(d["root"].get<std::string>()) + "</p>";
  std::vector<std::string> splits;
  std::map<std::string, std::map<std::string, std::pair<int, double>>> table;  // species -> split -> stats
  std::map<std::string, int> unreadable;
  for (const auto& s : d.value("splits", nlohmann::json::array())) {
    const std::string split = s.value("split", std::string());
    splits.push_back(split);
    unreadable[split] = s.value("unreadable", 0);
    for (const auto& sp : s.value("species", nlohmann::json::array()))
      table[sp.value("species", std::string())][split] = {sp.value("files", 0), sp.value("seconds", 0.0)};
  }
  out += "<table><tr><th>species</th>";
  for (const auto& s : splits) out += fmt::format("<th class=\"num\">{0} files</th><th class=\"num\">{0} minutes</th>", escape(s));
  out += "</tr>";
  std::map<std::string, std::pair<int, double>> totals;
  for (const auto& [species, per_split] : table) {
    out += "<tr><td>" + escape(species) + "</td>";
    for (const auto& s : splits) {
      auto it = per_split.find(s);
      const auto stats = it == per_split.end() ? std::pair<int, double>{0, 0.0} : it->second;
      totals[s].first += stats.first;
      totals[s].second += stats.second;
      out += fmt::format("<td class=\"num\">{}</td><td class=\"num\">{:.1f}</td>", stats.first, stats.second / 60);
    }
    out += "</tr>";
  }
  out += "<tr><th>total</th>";
  for (const auto& s : splits)
    out += fmt::format("<th class=\"num\">{}</th><th class=\"num\">{:.1f}</th>", totals[s].first, totals[s].second / 60);
  out += "</tr></table>";
  for (const auto& [split, n] : unreadable)
    if (n > 0) out += fmt::format("<p class=\"note\">{}: {} file(s) whose header could not be read (no duration).</p>", escape(split), n);
  return out + "</section>";
}

}  // namespace

std::string report_html(const ReportData& data) {
  std::string title = "pelagos report";
  if (data.study) title += " \u2014 study " + data.study->name;
  else if (data.evaluation.is_object() && data.evaluation.contains("model"))
    title += " \u2014 " + data.evaluation["model"].get<std::string>();
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">";
  out += "<title>" + escape(title) + "</title><style>" + kStyle + "</style></head><body>\n";
  out += "<header><h1>" + escape(title) + "</h1><p>Generated " + escape(data.generated_at) + " by pelagos " +
         PELAGOS_VERSION + "</p></header><main>\n";
  if (data.study) {
    out += best_section(*data.study);
    out += history_section(*data.study);
    out += intermediate_section(*data.study);
    out += params_section(*data.study);
    out += importance_section(*data.study);
  }
  if (data.evaluation.is_object()) out += evaluation_section(data.evaluation);
  if (data.dataset.is_object()) out += dataset_section(data.dataset);
  out += "<section id=\"provenance\"><h2>Provenance</h2><table>";
  for (const auto& [k, v] : report::provenance_rows(data))
    out += "<tr><th>" + escape(k) + "</th><td class=\"wrap\">" + escape(v) + "</td></tr>";
  out += "</table></section>\n";
  if (data.study) out += trials_table(*data.study);
  out += "</main><footer>Self-contained: no scripts, no network. Hover over points and bars for values.</footer>"
         "</body></html>\n";
  return out;
}

}  // namespace pelagos
