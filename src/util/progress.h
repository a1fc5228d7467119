// Progress of long operations (decoding a dataset, building caches, a trial's
// epochs, prediction over long recordings) and the process-wide log settings
// behind --quiet, --verbose and --log-format. On a terminal a bar with rate and
// ETA is redrawn in place; otherwise (CI, log files) a plain line is printed at
// most every few seconds, or a JSON object per line with --log-format json.
#pragma once
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace pelagos {

enum class LogFormat { Text, Json };

struct LogSettings {
  bool quiet = false;    // errors only
  bool verbose = false;  // more detail
  LogFormat format = LogFormat::Text;
  // < 0: detect (stderr is a terminal and TERM is not "dumb"); 0/1 force it.
  int terminal = -1;
};

void set_log_settings(const LogSettings& settings);
const LogSettings& log_settings();
LogFormat log_format_from_string(const std::string& name);  // "text" | "json"; throws pelagos::Error

// One event on stderr unless quiet: "message" as text, or
// {"event": event, "message": message, ...fields} as one JSON line.
void log_event(const std::string& event, const std::string& message, const nlohmann::json& fields = {});

// "1:02:03", "4:05" or "7 s".
std::string format_duration(double seconds);

class Progress {
 public:
  // total <= 0: unknown (no bar, no ETA). unit names what is counted ("clips", "epochs").
  Progress(std::string task, int64_t total, std::string unit);
  ~Progress();  // finish()
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Thread-safe. `note` replaces the short text after the counts (e.g. "loss 0.31").
  void advance(int64_t n = 1, const std::string& note = "");
  // Prints the final state once (a newline after a terminal bar).
  void finish();

  // The line a terminal would show, for tests: "task [####    ] 3/8 clips 1.5/s ETA 3 s note".
  std::string render(bool bar) const;

 private:
  using Clock = std::chrono::steady_clock;
  void emit(bool final);
  double rate() const;

  std::string task_, unit_, note_;
  int64_t total_, done_ = 0;
  Clock::time_point start_, last_emit_;
  bool terminal_, finished_ = false, emitted_ = false;
  mutable std::mutex mutex_;
};

}  // namespace pelagos
