#include "util/progress.h"

#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

namespace pelagos {
namespace {

// Captures std::cerr for the scope.
class CaptureStderr {
 public:
  CaptureStderr() : old_(std::cerr.rdbuf(buffer_.rdbuf())) {}
  ~CaptureStderr() { std::cerr.rdbuf(old_); }
  std::string text() const { return buffer_.str(); }

 private:
  std::ostringstream buffer_;
  std::streambuf* old_;
};

class ProgressTest : public ::testing::Test {
 protected:
  void TearDown() override { set_log_settings({}); }
};

TEST_F(ProgressTest, TerminalLineHasBarRateAndEta) {
  set_log_settings({false, false, LogFormat::Text, 1});
  Progress p("features", 8, "clips");
  p.advance(2, "from cache 1");
  const std::string line = p.render(true);
  EXPECT_NE(line.find("features [######                  ] 2/8 clips"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA"), std::string::npos) << line;
  EXPECT_NE(line.find("from cache 1"), std::string::npos) << line;
  CaptureStderr capture;
  p.advance(6);
  p.finish();
  EXPECT_NE(capture.text().find("8/8 clips"), std::string::npos);
  EXPECT_EQ(capture.text().back(), '\n');  // the bar ends its line when done
}

TEST_F(ProgressTest, PlainLinesWithoutATerminalAndJsonOnRequest) {
  set_log_settings({false, false, LogFormat::Text, 0});
  {
    CaptureStderr capture;
    Progress p("epochs", 3, "epochs");
    p.advance(3);
    p.finish();
    EXPECT_EQ(capture.text().find('\r'), std::string::npos);
    EXPECT_EQ(capture.text().find('#'), std::string::npos);  // no bar in logs
    EXPECT_NE(capture.text().find("epochs 3/3 epochs"), std::string::npos) << capture.text();
  }
  set_log_settings({false, false, LogFormat::Json, 0});
  CaptureStderr capture;
  Progress p("epochs", 3, "epochs");
  p.advance(1);
  p.finish();
  const auto j = nlohmann::json::parse(capture.text());
  EXPECT_EQ(j["event"], "progress_done");
  EXPECT_EQ(j["done"], 1);
  EXPECT_EQ(j["total"], 3);
}

TEST_F(ProgressTest, QuietPrintsNothing) {
  set_log_settings({true, false, LogFormat::Text, 1});
  CaptureStderr capture;
  {
    Progress p("features", 2, "clips");
    p.advance(2);
  }
  log_event("x", "hello");
  EXPECT_EQ(capture.text(), "");
}

TEST(FormatDuration, ReadsNaturally) {
  EXPECT_EQ(format_duration(7.2), "7 s");
  EXPECT_EQ(format_duration(245), "4:05");
  EXPECT_EQ(format_duration(3723), "1:02:03");
}

}  // namespace
}  // namespace pelagos
