#include "upstream/supplier_connection.h"

namespace imeiflow::upstream {

Result<std::unique_ptr<SupplierConnection>> SupplierConnection::Open(const Config& config) {
  if (config.upstream.url.empty()) {
    return Status::InvalidArgument(
        "upstream.url is not set (config file or IMEIFLOW_UPSTREAM_URL)");
  }
  if (config.upstream.user.empty()) {
    return Status::InvalidArgument(
        "upstream.user is not set (config file or IMEIFLOW_UPSTREAM_USER)");
  }
  Result<std::string> key = config.ResolveApiKey();
  if (!key.ok()) return key.status();
  if (key->empty()) {
    return Status::InvalidArgument(
        "no API key: set upstream.api_key_file (or upstream.api_key, IMEIFLOW_UPSTREAM_API_KEY)");
  }
  CurlTransportOptions options;
  options.ca_file = config.upstream.ca_file;
  return std::unique_ptr<SupplierConnection>(new SupplierConnection(
      options, gsmfusion::SettingsFromConfig(config.upstream, std::move(*key))));
}

}  // namespace imeiflow::upstream
