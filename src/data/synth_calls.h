// Synthetic marine-mammal-like calls for the demo dataset: six call types that
// differ clearly in a log-mel spectrogram, each with per-clip random variation.
// All energy stays below 3.9 kHz so every sample rate from 8 kHz up keeps it.
#pragma once
#include <vector>

#include "data/demo_rng.h"

namespace pelagos {

enum class CallType { UpSweep, DownSweep, ClickTrain, HarmonicWhistle, PulsedCall, LowMoan };

const char* call_type_name(CallType type);  // "up-sweeps", "click trains", ...

// Adds calls of `type` into `clip` (mono, `rate` Hz; its length is the clip
// duration): pitch, call count, timing and level vary with `rng`.
void add_calls(CallType type, int rate, DemoRng& rng, std::vector<float>& clip);

}  // namespace pelagos
