// Dataset inspection: probes and decodes every clip of a loaded dataset and
// summarises counts, durations, formats and every problem or notice found.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pelagos/dataset.h"

namespace pelagos {

struct InspectOptions {
  double silence_peak = 1e-4;    // a clip whose absolute peak stays below this is silent; range (0, 0.5]
  double patch_seconds = 0;      // clips shorter than this are zero-padded; 0: one patch of the
                                 // default VGGish frontend (FrontendParams: 15600 samples, 0.975 s)
  double imbalance_ratio = 3.0;  // largest/smallest class (files) in a split above this is reported; range > 1
  int threads = 0;               // decoding threads; 0: all cores (at most 8)
};

struct FileCheck {
  Clip clip;
  bool readable = false;
  std::string error;  // why not readable
  int sample_rate = 0, channels = 0;
  std::string format, encoding;
  double seconds = 0;
  double peak = 0;            // absolute peak of the decoded (channel-mean) samples
  std::string audio_sha256;  // of the decoded samples and rate: equal for the same recording in any container
};

struct Finding {
  std::string severity;            // "error" (dataset not usable), "warning" or "notice"
  std::string kind;                // unreadable, silent, empty, short, duplicate, imbalance,
                                   // missing-class, unlisted, metadata
  std::string message;
  std::vector<std::string> files;  // paths concerned, if any
};

struct SpeciesStats {
  int files = 0;
  double seconds = 0;
};

struct InspectReport {
  std::string root;
  std::vector<std::string> splits;   // in load order
  std::vector<std::string> species;  // label order
  std::map<std::string, std::map<std::string, SpeciesStats>> stats;  // split -> species -> stats
  std::map<std::string, std::map<int, int>> sample_rates;           // split -> rate -> files
  std::map<int, int> channels;
  std::map<std::string, int> formats, encodings;
  std::vector<FileCheck> files;
  std::vector<Finding> findings;
  bool usable() const;  // no finding of severity "error"
};

InspectReport inspect_dataset(const Dataset& dataset, const InspectOptions& options = {});

std::string format_inspect_report(const InspectReport& report);  // the readable summary
nlohmann::json inspect_report_json(const InspectReport& report);

}  // namespace pelagos
