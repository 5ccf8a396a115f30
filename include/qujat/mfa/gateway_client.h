// An HTTP(S) client for SOAP exchanges with the MFA gateway (and the
// stand-in's callbacks): libcurl with TLS verification always on, a CA file
// when configured, connect and total timeouts, no redirects, no proxy from
// the environment. One call, one POST; retries are the worker's business.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

namespace qujat::mfa {

struct GatewayClientOptions {
  std::string url;                // http:// or https://
  std::filesystem::path ca_file;  // "" = the system's trust (https only)
  std::chrono::seconds connect_timeout{5};
  std::chrono::seconds timeout{30};  // the whole exchange
};

struct GatewayReply {
  long status = 0;
  std::string body;
};

class GatewayClient {
 public:
  explicit GatewayClient(GatewayClientOptions options);

  // POSTs a SOAP 1.1 envelope (text/xml, SOAPAction). Throws
  // qujat::Error("mfa.transport", ...) when no HTTP answer came (refused,
  // timed out, connection dropped, TLS failure), naming libcurl's reason.
  GatewayReply post(const std::string& envelope, const std::string& soap_action) const;

  const GatewayClientOptions& options() const { return options_; }

 private:
  GatewayClientOptions options_;
};

}  // namespace qujat::mfa
