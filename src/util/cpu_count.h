// How many threads "all cores" means: the CPUs this process may run on (its
// affinity mask, which containers and taskset narrow), not the host's count.
#pragma once

namespace pelagos {

int available_cores();

// `requested` > 0 is kept as is; 0 means all available cores.
inline int available_threads(int requested) { return requested > 0 ? requested : available_cores(); }

}  // namespace pelagos
