// Errors that reach the user. A pelagos::Error carries a message that names the
// file, row or field at fault and says what to do; the CLI prints it and exits 1.
// Anything else that escapes is a bug (exit 2).
#pragma once
#include <stdexcept>
#include <string>

namespace pelagos {

// Process exit codes, documented in the README.
enum ExitCode : int {
  kExitOk = 0,
  kExitUserError = 1,    // bad input, bad flags, missing files: the message says what to fix
  kExitInternal = 2,     // a bug or an unfinished command
  kExitInterrupted = 3,  // SIGINT / SIGTERM
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message);
  ~Error() override;
};

// Raised by commands whose issue has not landed yet; exits with kExitInternal.
class NotImplemented : public std::runtime_error {
 public:
  explicit NotImplemented(const std::string& what_is_missing);
  ~NotImplemented() override;
};

}  // namespace pelagos
