#include "sim/answers.h"

#include <fmt/format.h>
#include <time.h>

namespace imeiflow::sim {
namespace {

void AppendElement(std::string& out, std::string_view name, std::string_view text) {
  out += '<';
  out += name;
  out += '>';
  out += XmlEscape(text);
  out += "</";
  out += name;
  out += '>';
}

std::string Begin(std::string_view prolog) {
  std::string out(prolog);
  out += '\n';
  return out;
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string ErrorXml(std::string_view prolog, std::string_view message) {
  std::string out = Begin(prolog);
  AppendElement(out, "error", message);
  out += '\n';
  return out;
}

std::string PackagesXml(std::string_view prolog, const std::vector<Service>& services) {
  std::string out = Begin(prolog);
  out += "<Packages>";
  for (const Service& s : services) {
    out += "<Package>";
    AppendElement(out, "PackageId", s.id);
    AppendElement(out, "Category", s.category);
    AppendElement(out, "PackageTitle", s.title);
    AppendElement(out, "PackagePrice", s.price.ToDecimal());
    AppendElement(out, "TimeTaken", s.delivery);
    AppendElement(out, "MustRead", s.must_read);
    out += "</Package>";
  }
  out += "</Packages>\n";
  return out;
}

std::string PlaceOrderXml(std::string_view prolog, const PlaceOutcome& outcome) {
  std::string out = Begin(prolog);
  out += "<result>";
  for (const Order& o : outcome.created) {
    out += "<imeis>";
    AppendElement(out, "id", std::to_string(o.id));
    AppendElement(out, "imei", o.imei);
    AppendElement(out, "status", "Pending");
    out += "</imeis>";
  }
  if (!outcome.duplicates.empty()) {
    std::string list;
    for (const std::string& imei : outcome.duplicates) {
      if (!list.empty()) list += ',';
      list += imei;
    }
    out += "<imeiduplicates>";
    AppendElement(out, "imei", list);
    out += "</imeiduplicates>";
  }
  out += "</result>\n";
  return out;
}

std::string GetImeisXml(std::string_view prolog, const std::vector<OrderView>& orders,
                        bool numeric_status) {
  std::string out = Begin(prolog);
  out += "<result>";
  for (const OrderView& o : orders) {
    out += "<imeis>";
    AppendElement(out, "id", std::to_string(o.id));
    AppendElement(out, "package", o.package);
    AppendElement(out, "imei", o.imei);
    AppendElement(out, "status",
                  numeric_status ? std::to_string(static_cast<int>(o.status))
                                 : std::string(StatusWord(o.status)));
    AppendElement(out, "code", o.code);
    AppendElement(out, "requestedat", FormatRequestedAt(o.placed));
    out += "</imeis>";
  }
  out += "</result>\n";
  return out;
}

std::string FormatRequestedAt(std::chrono::system_clock::time_point t) {
  time_t secs = std::chrono::system_clock::to_time_t(t);
  struct tm utc;
  gmtime_r(&secs, &utc);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", utc.tm_year + 1900, utc.tm_mon + 1,
                     utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

std::string HtmlErrorPage(int status, std::string_view title) {
  return fmt::format(
      "<!DOCTYPE html>\n<html><head><title>{0} {1}</title></head>"
      "<body><h1>{1}</h1><p>The server encountered a problem and could "
      "not complete your request.</p></body></html>\n",
      status, title);
}

}  // namespace imeiflow::sim
