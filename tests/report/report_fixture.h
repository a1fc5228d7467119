// A small, fully known report input for the report tests: a study of 6 trials
// over two parameters (lr matters, units does not), one pruned and one failed,
// an evaluation with a species name that needs escaping, and a dataset summary.
#pragma once
#include "pelagos/report.h"

namespace pelagos::test {

// The species whose name must come out escaped everywhere.
inline constexpr const char* kHostileSpecies = "<script>alert('x')</script> & \"Orca\"";

ReportData sample_report_data();

}  // namespace pelagos::test
