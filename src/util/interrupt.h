// Ctrl-C / SIGTERM as a request to stop at the next safe point: long commands
// (tune) install an InterruptScope, loops check interrupt_requested() or call
// throw_if_interrupted() between batches, and the command finishes what it must
// (marks the running trial failed, keeps every finished one) and exits with
// kExitInterrupted. A second signal ends the process at once (default action).
#pragma once
#include <stdexcept>

namespace pelagos {

class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal);
  int signal() const { return signal_; }

 private:
  int signal_;
};

// Installs SIGINT and SIGTERM handlers for its lifetime (restores the previous ones).
class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
};

bool interrupt_requested();
int interrupt_signal();  // the signal received, 0 if none
void throw_if_interrupted();

}  // namespace pelagos
