// The HTML report in a real browser: headless Chromium renders it without a
// single console message (no script errors, no refused loads under the page's
// Content-Security-Policy), the charts are in the rendered DOM, and a
// screenshot lands in build/artifacts/report.png for people to look at.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "pelagos/report.h"
#include "report/report_fixture.h"
#include "support/test_support.h"

namespace pelagos {
namespace {

TEST(ReportBrowser, RendersWithoutConsoleErrorsAndSavesAScreenshot) {
  PELAGOS_REQUIRE_CHROMIUM();
  const std::filesystem::path artifacts = std::filesystem::path(PELAGOS_BINARY_DIR) / "artifacts";
  std::filesystem::create_directories(artifacts);
  const std::string html = (artifacts / "report.html").string();
  write_report(html, test::sample_report_data(), ReportFormat::Html);

  const test::BrowserRender r = test::render_in_chromium(html, (artifacts / "report.png").string());
  EXPECT_TRUE(r.screenshot_ok) << "no screenshot at " << (artifacts / "report.png");
  EXPECT_TRUE(r.console.empty()) << "console: " << (r.console.empty() ? "" : r.console.front());
  for (const char* part : {"aria-label=\"optimisation history\"", "aria-label=\"confusion matrix\"",
                           "aria-label=\"hyperparameter importance\"", "id=\"provenance\""})
    EXPECT_NE(r.dom.find(part), std::string::npos) << part << " missing from the rendered DOM";
  // The hostile species name is text in the DOM, not a script element.
  EXPECT_EQ(r.dom.find("<script"), std::string::npos);
}

// The check itself can fail: a page with a script error is caught.
TEST(ReportBrowser, CatchesAPageWithAScriptError) {
  PELAGOS_REQUIRE_CHROMIUM();
  test::TempDir dir;
  std::ofstream(dir.file("bad.html")) << "<html><body><script>undefined_function()</script></body></html>";
  const test::BrowserRender r = test::render_in_chromium(dir.file("bad.html"), dir.file("bad.png"), 400, 300);
  EXPECT_FALSE(r.console.empty());
}

}  // namespace
}  // namespace pelagos
