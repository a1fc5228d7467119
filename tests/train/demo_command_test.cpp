// `pelagos demo`: the README's main command, end to end (with 2 trials to stay
// quick): dataset, study, best model, test scores and a report that renders in
// a browser (screenshot: build/artifacts/demo_report.png).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/cli.h"
#include "pelagos/tune/storage.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

TEST(DemoCommand, WritesDataStudyModelScoresAndReport) {
  test::TempDir dir;
  const std::string out = dir.file("demo");
  ASSERT_EQ(cli::run_cli({"--quiet", "--threads", "1", "demo", "--out", out, "--trials", "2", "--random-init"}), 0);
  for (const char* f : {"data/train_metadata.xlsx", "study.db", "best.pelagos", "best.test.json", "best.report.html"})
    EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
  auto storage = tune::open_storage("sqlite:///" + out + "/study.db");
  const auto study = storage->find_study("demo");
  ASSERT_TRUE(study.has_value());
  EXPECT_EQ(storage->count_trials(*study), 2);

  if (test::chromium().empty()) GTEST_SKIP() << "chromium is not installed; the report was not opened in a browser";
  const auto artifacts = std::filesystem::path(PELAGOS_BINARY_DIR) / "artifacts";
  std::filesystem::create_directories(artifacts);
  std::filesystem::copy_file(out + "/best.report.html", artifacts / "demo_report.html",
                             std::filesystem::copy_options::overwrite_existing);
  const test::BrowserRender r =
      test::render_in_chromium((artifacts / "demo_report.html").string(), (artifacts / "demo_report.png").string());
  EXPECT_TRUE(r.screenshot_ok);
  EXPECT_TRUE(r.console.empty()) << (r.console.empty() ? "" : r.console.front());
  EXPECT_NE(r.dom.find("aria-label=\"confusion matrix\""), std::string::npos);
}

}  // namespace
}  // namespace pelagos
