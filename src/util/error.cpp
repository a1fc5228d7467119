#include "pelagos/error.h"

namespace pelagos {

Error::Error(const std::string& message) : std::runtime_error(message) {}
Error::~Error() = default;

NotImplemented::NotImplemented(const std::string& what_is_missing)
    : std::runtime_error(what_is_missing + " is not implemented yet") {}
NotImplemented::~NotImplemented() = default;

}  // namespace pelagos
