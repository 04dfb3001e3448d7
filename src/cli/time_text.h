// TimeText for the commands: the functions moved to core/time_text.h (the
// web API prints the same times); these names keep the commands unchanged.
#pragma once

#include "core/time_text.h"

namespace imeiflow::cli {

using ::imeiflow::IsoUtc;
using ::imeiflow::ParseIsoUtc;

}  // namespace imeiflow::cli
