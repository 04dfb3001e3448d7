// Answers: the XML documents the simulated supplier sends, in GSM Fusion's shapes.
//
// Every builder takes the prolog to start with, so the malformed
// `<?phpxml ...?>` prolog seen live can be injected. Text is escaped
// (& < > " '), so codes holding `<br>` or `&` stay well-formed.
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "sim/catalogue.h"
#include "sim/order_book.h"

namespace imeiflow::sim {

/// The normal prolog.
inline constexpr std::string_view kXmlProlog = R"(<?xml version="1.0" encoding="utf-8"?>)";
/// The malformed prolog some live answers carry.
inline constexpr std::string_view kPhpXmlProlog = R"(<?phpxml version="1.0" encoding="utf-8"?>)";

/// `text` with the five XML special characters escaped.
std::string XmlEscape(std::string_view text);

/// `<error>message</error>`.
std::string ErrorXml(std::string_view prolog, std::string_view message);

/// `<Packages>` listing `services`.
std::string PackagesXml(std::string_view prolog, const std::vector<Service>& services);

/// The placeorder `<result>`: one `<imeis>` per created order, then
/// `<imeiduplicates>` when some IMEIs were refused.
std::string PlaceOrderXml(std::string_view prolog, const PlaceOutcome& outcome);

/// The getimeis `<result>`: one `<imeis>` per order; status as a word or,
/// with `numeric_status`, as the status id.
std::string GetImeisXml(std::string_view prolog, const std::vector<OrderView>& orders,
                        bool numeric_status);

/// The HTML error page of a web server ("<title>STATUS TITLE</title>").
std::string HtmlErrorPage(int status, std::string_view title);

/// "YYYY-MM-DD HH:MM:SS" in UTC.
std::string FormatRequestedAt(std::chrono::system_clock::time_point t);

}  // namespace imeiflow::sim
