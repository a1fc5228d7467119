#include "util/interrupt.h"

#include <signal.h>
#include <string.h>

#include <atomic>
#include <string>

namespace pelagos {
namespace {

std::atomic<int> g_signal{0};
struct sigaction g_previous_int, g_previous_term;

extern "C" void on_stop_signal(int sig) { g_signal.store(sig); }

}  // namespace

Interrupted::Interrupted(int sig)
    : std::runtime_error(std::string("interrupted by ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT")), signal_(sig) {}

InterruptScope::InterruptScope() {
  g_signal.store(0);
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;  // a second signal takes the default action: the user insists
  sigaction(SIGINT, &sa, &g_previous_int);
  sigaction(SIGTERM, &sa, &g_previous_term);
}

InterruptScope::~InterruptScope() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

bool interrupt_requested() { return g_signal.load() != 0; }
int interrupt_signal() { return g_signal.load(); }

void throw_if_interrupted() {
  if (const int sig = g_signal.load()) throw Interrupted(sig);
}

}  // namespace pelagos
