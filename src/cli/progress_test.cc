#include "cli/progress.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace imeiflow::cli {
namespace {

store::JobSummary Job(int64_t accepted, int64_t queued, int64_t rejected) {
  store::JobSummary job;
  job.id = 7;
  for (ItemState s : kAllItemStates) job.counts[s] = 0;
  job.counts[ItemState::kAccepted] = accepted;
  job.counts[ItemState::kQueued] = queued;
  job.counts[ItemState::kRejected] = rejected;
  job.total = accepted + queued + rejected;
  return job;
}

std::string Capture(bool terminal, void (*body)(ProgressPrinter&)) {
  char* buf = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&buf, &size);
  {
    ProgressPrinter printer(out, terminal, 5000);
    body(printer);
  }
  std::fclose(out);
  std::string text(buf, size);
  free(buf);
  return text;
}

TEST(ProgressPrinterTest, LineShowsDoneRateEtaAndNonZeroStates) {
  std::string line = ProgressPrinter::Line(Job(90, 100, 10), 0, 10000);
  EXPECT_EQ(line, "job 7: 100/200 done, 10/s, ETA 10s, queued 100, accepted 90, rejected 10");
  // No rate in the first second.
  EXPECT_EQ(ProgressPrinter::Line(Job(1, 9, 0), 0, 5), "job 7: 1/10 done, queued 9, accepted 1");
}

TEST(ProgressPrinterTest, PlainOutputPrintsAtMostOneLinePerInterval) {
  std::string text = Capture(false, [](ProgressPrinter& p) {
    p.Update(Job(0, 10, 0), 0);
    p.Update(Job(5, 5, 0), 1000);  // too soon
    p.Update(Job(8, 2, 0), 6000);
    p.Finish(Job(10, 0, 0), 7000);  // always shown
  });
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3) << text;
  EXPECT_EQ(text.find("\r"), std::string::npos);
  EXPECT_NE(text.find("job 7: 10/10 done"), std::string::npos) << text;
}

TEST(ProgressPrinterTest, TerminalOutputRedrawsABar) {
  std::string text = Capture(true, [](ProgressPrinter& p) {
    p.Update(Job(5, 5, 0), 0);
    p.Finish(Job(10, 0, 0), 1000);
  });
  EXPECT_NE(text.find("\r[###############...............]"), std::string::npos) << text;
  EXPECT_NE(text.find("\r[##############################]"), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
}

}  // namespace
}  // namespace imeiflow::cli
