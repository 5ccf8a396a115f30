#include "qujat/mfa/gateway_client.h"

#include <curl/curl.h>

#include <mutex>

#include "qujat/common/error.h"
#include "qujat/common/memory.h"

namespace qujat::mfa {
namespace {

constexpr std::size_t kMaxReply = 16u << 20;

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (body->size() + n > kMaxReply) return 0;  // libcurl fails the transfer: CURLE_WRITE_ERROR
  body->append(data, n);
  return n;
}

}  // namespace

GatewayClient::GatewayClient(GatewayClientOptions options) : options_(std::move(options)) {
  if (options_.url.rfind("http://", 0) != 0 && options_.url.rfind("https://", 0) != 0)
    throw Error("mfa.endpoint", "the MFA endpoint '" + options_.url + "' is not an http(s) URL");
}

GatewayReply GatewayClient::post(const std::string& envelope, const std::string& soap_action) const {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  auto curl = make_unique_ptr<curl_easy_cleanup>(curl_easy_init());
  if (!curl) throw Error("mfa.transport", "cannot start an HTTP client");
  CURL* c = curl.get();
  GatewayReply reply;
  UniquePtr<curl_slist, curl_slist_free_all> headers(
      curl_slist_append(nullptr, "Content-Type: text/xml; charset=utf-8"));
  headers.reset(curl_slist_append(headers.release(), ("SOAPAction: \"" + soap_action + "\"").c_str()));
  // No "Expect: 100-continue" round trip on large bodies.
  headers.reset(curl_slist_append(headers.release(), "Expect:"));
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  // The exchange goes where the configuration says, never through a proxy
  // that an environment variable names.
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, envelope.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(envelope.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK)
    throw Error("mfa.transport", std::string("no answer from ") + options_.url + ": " + curl_easy_strerror(rc));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

}  // namespace qujat::mfa
