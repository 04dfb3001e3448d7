#include "sim/gzip.h"

#include <zlib.h>

namespace imeiflow::sim {

std::string GzipCompress(std::string_view data) {
  z_stream zs{};
  // 15 window bits + 16: gzip header and trailer instead of zlib's.
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);  // the output buffer is bound-sized: one call finishes
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace imeiflow::sim
