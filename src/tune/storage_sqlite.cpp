// Placeholder so this branch links; the sqlite branch's implementation replaces this file.
#include "pelagos/error.h"
#include "pelagos/tune/storage.h"

namespace pelagos::tune {

std::unique_ptr<Storage> make_sqlite_storage(const std::string&) {
  throw NotImplemented("sqlite storage");
}

}  // namespace pelagos::tune
