// Starting and waiting for helper processes of the same program (`pelagos tune
// --jobs N` runs N-1 extra workers on the shared study). Torch-free.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace pelagos {

// The running pelagos executable: $PELAGOS_EXE when set, else /proc/self/exe,
// which must be named "pelagos" (an in-process caller such as a test binary
// cannot start itself as a worker). Throws Error otherwise.
std::string pelagos_executable();

// Starts `argv` (argv[0] is the program path) with the caller's environment and
// standard streams. Throws Error naming the program when it cannot start.
pid_t start_process(const std::vector<std::string>& argv);

// Waits for one process; returns its exit code, or 128 + signal number when a
// signal ended it (the shell's convention).
int wait_process(pid_t pid);

}  // namespace pelagos
