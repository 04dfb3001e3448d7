// ParseResultCode: turns a supplier's result `code` into key/value pairs and
// the fields imeiflow stores as columns (model, carrier, SIM-lock, FMI, ...).
//
// A checker's code looks like
//   Model: iPhone 13 Pro - IMEI Number: 356... - Carrier: Unlocked - Find My iPhone: OFF
// with ` - `, `<br>` or newlines between pairs, HTML entities and stray tags
// such as <font color=red>ON</font>. The text is supplier-controlled, so
// parsing accepts any bytes: tags are stripped (their text kept), entities
// decoded, invalid UTF-8 and control characters replaced, and never fails.
//
// Rules:
// - A segment that starts with `Key:` (a short name starting with a letter,
//   then a colon followed by a space or the end) begins a new pair. Any other
//   segment continues the previous value ("Model: iPhone 13 - Pro Max" keeps
//   " - Pro Max"); segments before the first key appear only in `raw`.
// - Keys match the known fields case-insensitively, ignoring spaces and
//   punctuation ("Sim-Lock Status" == "simlock status"). When several keys
//   map to one field (e.g. "Carrier" and "Sold By"), the first non-empty value
//   wins. Unknown keys are kept in `pairs` only.
// Plain values and a pure function: safe to use from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imeiflow {

/// The fields of a result code that imeiflow knows; an empty string means absent.
struct ResultFields {
  std::string model;    ///< "Model", "Model Description", "Device"
  std::string imei;     ///< "IMEI", "IMEI Number", "IMEI1"
  std::string imei2;    ///< "IMEI2", "IMEI2 Number", "IMEI 2"
  std::string serial;   ///< "Serial", "Serial Number", "SN"
  std::string meid;     ///< "MEID", "MEID Number"
  std::string carrier;  ///< "Carrier", "Network", "Locked Carrier", "Sold By"
  std::string simlock;  ///< "SimLock", "Sim-Lock Status", "SIM Lock"
  std::string fmi;      ///< Find My iPhone: "Find My iPhone", "FMI", "iCloud Lock", "FMI Status"
  std::string gsma_status;    ///< "Current GSMA Status", "GSMA Status", "Blacklist Status"
  std::string purchase_date;  ///< "Estimated Purchase Date", "Purchase Date"
  std::string applecare;      ///< "AppleCare Eligible", "AppleCare"

  bool operator==(const ResultFields&) const = default;
};

/// One known field: its column / JSON name and where it lives in ResultFields.
struct ResultFieldColumn {
  std::string_view name;              ///< "model", "imei", ..., "applecare"
  std::string ResultFields::*member;  ///< read with `fields.*column.member`
};

/// Every known field, in column order: model, imei, imei2, serial, meid,
/// carrier, simlock, fmi, gsma_status, purchase_date, applecare.
std::span<const ResultFieldColumn> ResultFieldColumns();

/// The value of the field named `name` (a ResultFieldColumn name) in
/// `fields`; empty for a name that is not one.
const std::string& ResultFieldValue(const ResultFields& fields, std::string_view name);

/// A result code taken apart.
struct ParsedResultCode {
  std::string raw;                                         ///< the input, byte for byte
  std::vector<std::pair<std::string, std::string>> pairs;  ///< every `Key: Value`, in order
  ResultFields fields;                                     ///< the known fields
};

/// Parses `raw`; any bytes are accepted (see the rules above).
ParsedResultCode ParseResultCode(std::string_view raw);

}  // namespace imeiflow
