// The report builder: every SVG is well-formed XML, outside strings come out
// escaped, and the charts hold what the data says (points per trial, pruned
// trials visible, one panel per parameter, counts in the heatmap).
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <fstream>
#include <regex>

#include "cli/cli.h"
#include "pelagos/report.h"
#include "pelagos/tune/storage.h"
#include "pelagos/tune/study.h"
#include "report/importance.h"
#include "report/report_fixture.h"
#include "report/svg.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

// Every <svg>...</svg> of the page, parsed as XML (fails the test on a parse error).
std::vector<std::unique_ptr<pugi::xml_document>> parse_svgs(const std::string& html) {
  std::vector<std::unique_ptr<pugi::xml_document>> docs;
  size_t pos = 0;
  while ((pos = html.find("<svg", pos)) != std::string::npos) {
    const size_t end = html.find("</svg>", pos);
    EXPECT_NE(end, std::string::npos);
    if (end == std::string::npos) break;
    auto doc = std::make_unique<pugi::xml_document>();
    const std::string svg = html.substr(pos, end + 6 - pos);
    const auto result = doc->load_string(svg.c_str());
    EXPECT_TRUE(result) << result.description() << " at " << result.offset << " in\n" << svg.substr(0, 400);
    docs.push_back(std::move(doc));
    pos = end;
  }
  return docs;
}

const pugi::xml_document* svg_labelled(const std::vector<std::unique_ptr<pugi::xml_document>>& docs,
                                       const std::string& label) {
  for (const auto& d : docs)
    if (label == d->child("svg").attribute("aria-label").value()) return d.get();
  return nullptr;
}

size_t count_nodes(const pugi::xml_document& doc, const std::string& xpath) {
  return doc.select_nodes(xpath.c_str()).size();
}

TEST(ReportSvg, EscapesMarkupCharacters) {
  EXPECT_EQ(report::escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
}

TEST(ReportHtml, EscapesSpeciesNamesEverywhere) {
  const std::string html = report_html(test::sample_report_data());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("alert('x')"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Orca&quot;"), std::string::npos);
}

TEST(ReportHtml, ChartsHoldTheStudyAndTheEvaluation) {
  const std::string html = report_html(test::sample_report_data());
  const auto svgs = parse_svgs(html);
  ASSERT_FALSE(svgs.empty());

  // History: 4 complete + 1 pruned points (the failed trial has no value), and the best-so-far line.
  const auto* history = svg_labelled(svgs, "optimisation history");
  ASSERT_NE(history, nullptr);
  EXPECT_EQ(count_nodes(*history, "//circle[@class='complete']"), 4u);
  EXPECT_EQ(count_nodes(*history, "//circle[@class='pruned']"), 1u);
  EXPECT_EQ(count_nodes(*history, "//polyline[@class='best']"), 1u);

  // Intermediate values: one curve per trial with values, the pruned one dashed.
  const auto* inter = svg_labelled(svgs, "intermediate values");
  ASSERT_NE(inter, nullptr);
  EXPECT_EQ(count_nodes(*inter, "//polyline[@class='curve-pruned']"), 1u);
  EXPECT_EQ(count_nodes(*inter, "//polyline[@class='curve-complete']"), 5u);

  // One parameter panel per hyperparameter; the categorical one names its choices.
  const auto* lr = svg_labelled(svgs, "objective vs lr");
  const auto* units = svg_labelled(svgs, "objective vs units");
  ASSERT_NE(lr, nullptr);
  ASSERT_NE(units, nullptr);
  EXPECT_EQ(count_nodes(*lr, "//circle"), 4u);
  EXPECT_EQ(count_nodes(*units, "//text[.='small']"), 1u);
  EXPECT_EQ(count_nodes(*units, "//text[.='large']"), 1u);

  // Confusion matrix: 9 cells, the counts as text, diagonal and off-diagonal styled apart.
  const auto* cm = svg_labelled(svgs, "confusion matrix");
  ASSERT_NE(cm, nullptr);
  EXPECT_EQ(count_nodes(*cm, "//rect[@class='cell diag']"), 3u);
  EXPECT_EQ(count_nodes(*cm, "//rect[@class='cell off']"), 6u);
  EXPECT_EQ(count_nodes(*cm, "//text[starts-with(@class,'count')][.='7']"), 1u);
  // Row-normalised shading: 9 of 10 in the first row is darker than 7 of 10 in the second.
  const double first = cm->select_node("(//rect[@class='cell diag'])[1]").node().attribute("fill-opacity").as_double();
  const double second = cm->select_node("(//rect[@class='cell diag'])[2]").node().attribute("fill-opacity").as_double();
  EXPECT_GT(first, second);
  EXPECT_NE(cm->child("svg").find_node([](pugi::xml_node n) {
                return std::string(n.child_value()) == test::kHostileSpecies;
              }),
            pugi::xml_node());  // the hostile name is there, as text

  // Per-class bars: precision, recall and F1 per species.
  const auto* bars = svg_labelled(svgs, "per-class precision, recall and F1");
  ASSERT_NE(bars, nullptr);
  EXPECT_EQ(count_nodes(*bars, "//rect[@class='bar-f1']"), 3u + 1u);  // + legend swatch

  ASSERT_NE(svg_labelled(svgs, "hyperparameter importance"), nullptr);
  EXPECT_NE(html.find("random init (seed 7) \u2014 not pretrained"), std::string::npos);
  EXPECT_NE(html.find("testhost"), std::string::npos);
  EXPECT_NE(html.find("<section id=\"dataset\">"), std::string::npos);
}

TEST(ReportHtml, IsSelfContained) {
  std::string html = report_html(test::sample_report_data());
  // The SVG namespace is a name, not a link; nothing else may point outside the page.
  const std::string ns = "xmlns=\"http://www.w3.org/2000/svg\"";
  for (size_t pos; (pos = html.find(ns)) != std::string::npos;) html.erase(pos, ns.size());
  EXPECT_EQ(html.find("http:"), std::string::npos);
  EXPECT_EQ(html.find("https:"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
}

TEST(ReportImportance, RanksTheParameterThatDrivesTheObjective) {
  const auto imp = report::param_importance(test::sample_report_data().study->trials);
  ASSERT_EQ(imp.size(), 2u);
  EXPECT_EQ(imp[0].name, "lr");
  EXPECT_GT(imp[0].epsilon_squared, 0.8);
  EXPECT_EQ(imp[1].name, "units");
  EXPECT_DOUBLE_EQ(imp[1].epsilon_squared, 0.0);  // both choices average 0.5
  EXPECT_DOUBLE_EQ(imp[0].share + imp[1].share, 1.0);
}

TEST(ReportImportance, NeedsThreeTrialsWithDifferentValues) {
  auto trials = test::sample_report_data().study->trials;
  trials.resize(2);
  EXPECT_TRUE(report::param_importance(trials).empty());
}

TEST(ReportText, SaysTheSameAsTheJson) {
  const ReportData d = test::sample_report_data();
  const nlohmann::json j = report_json(d);
  EXPECT_EQ(j["study"]["trials"].size(), 6u);
  EXPECT_EQ(j["study"]["best_trial"]["number"], 4);
  EXPECT_EQ(j["study"]["importance"][0]["param"], "lr");
  EXPECT_EQ(j["evaluation"]["accuracy"], 0.8);
  EXPECT_EQ(j["provenance"]["base weights"], "random init (seed 7) \u2014 not pretrained");
  const std::string text = report_text(d);
  EXPECT_NE(text.find("best trial: #4 value 0.7000"), std::string::npos) << text;
  EXPECT_NE(text.find("evaluation on test: accuracy 0.8000"), std::string::npos) << text;
  EXPECT_NE(text.find("PRUNED 1"), std::string::npos) << text;
}

// A study written through the storage, reported by the CLI in all three formats.
TEST(ReportCommand, ReportsAStudyFromItsStorage) {
  test::TempDir dir;
  const std::string url = "sqlite:///" + dir.file("study.db");
  {
    auto storage = tune::open_storage(url);
    tune::Study study(*storage, "s", tune::StudyDirection::Maximize);
    for (int i = 0; i < 4; ++i) {
      tune::Trial t = study.ask();
      const double x = t.suggest_float("x", 0, 1);
      t.report(0, x / 2);
      study.tell(t, x);
    }
  }
  const std::string eval = dir.file("eval.json");
  std::ofstream(eval) << test::sample_report_data().evaluation.dump();
  ASSERT_EQ(cli::run_cli({"report", "--storage", url, "--study-name", "s", "--evaluation", eval, "-o",
                          dir.file("r.html")}),
            0);
  std::ifstream in(dir.file("r.html"));
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("study s"), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"confusion matrix\""), std::string::npos);

  ASSERT_EQ(cli::run_cli({"report", "--storage", url, "--study-name", "s", "--format", "json", "-o",
                          dir.file("r.json")}),
            0);
  std::ifstream jin(dir.file("r.json"));
  EXPECT_EQ(nlohmann::json::parse(jin)["study"]["trials"].size(), 4u);
}

TEST(ReportCommand, RefusesToReportNothingOrAMissingStudy) {
  test::TempDir dir;
  EXPECT_EQ(cli::run_cli({"report", "-o", dir.file("r.html")}), 1);
  EXPECT_EQ(cli::run_cli({"report", "--storage", "sqlite:///" + dir.file("none.db"), "--study-name", "x", "-o",
                          dir.file("r.html")}),
            1);
  std::ofstream(dir.file("bad.json")) << R"({"labels": 5, "accuracy": "high"})";
  EXPECT_EQ(cli::run_cli({"report", "--evaluation", dir.file("bad.json"), "-o", dir.file("r.html")}), 1);
  EXPECT_FALSE(std::filesystem::exists(dir.file("r.html")));
}

}  // namespace
}  // namespace pelagos
