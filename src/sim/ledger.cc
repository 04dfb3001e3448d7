#include "sim/ledger.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

namespace imeiflow::sim {

const char* Ledger::Header() { return "time,order_id,service_id,imei,price,call_id,answer"; }

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IoError(fmt::format("{}: cannot open ledger: {}", path, strerror(errno)));
  }
  std::unique_ptr<Ledger> ledger(new Ledger(fd, path));
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size == 0) {
    Status s = ledger->WriteAll(std::string(Header()) + "\n");
    if (!s.ok()) return s;
  }
  return ledger;
}

Ledger::~Ledger() { ::close(fd_); }

Status Ledger::Append(const std::vector<Order>& orders, const std::string& answer) {
  if (orders.empty()) return Status::Ok();
  std::string text;
  for (const Order& o : orders) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(o.placed.time_since_epoch());
    // Service ids and IMEIs hold no commas: ids come from the catalogue, IMEIs are digits.
    text += fmt::format("{}.{:03},{},{},{},{},{},{}\n", ms.count() / 1000, ms.count() % 1000, o.id,
                        o.service->id, o.imei, o.service->price.ToDecimal(), o.call_id, answer);
  }
  return WriteAll(text);
}

Status Ledger::WriteAll(const std::string& text) {
  // One write(2) on an O_APPEND descriptor: lines of concurrent calls never interleave.
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(fmt::format("{}: ledger write failed: {}", path_, strerror(errno)));
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace imeiflow::sim
