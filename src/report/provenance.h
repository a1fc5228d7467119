// The run's provenance as label/value rows, shared by the HTML, text and JSON
// renderers so the three always say the same thing.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "pelagos/report.h"

namespace pelagos::report {

using Rows = std::vector<std::pair<std::string, std::string>>;

Rows provenance_rows(const ReportData& data);

// "pretrained VGGish weights FILE (sha256 ...)" or "random init (seed N) — not pretrained".
std::string describe_base_weights(const nlohmann::json& base_weights);

// The study's search-space / setup attributes, or null.
nlohmann::json study_setup(const ReportData& data);

}  // namespace pelagos::report
