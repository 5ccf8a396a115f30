#include "qujat/pki/digest.h"

#include <openssl/evp.h>
#include <openssl/provider.h>

#include <mutex>
#include <optional>

#include "pki/gost34311.h"
#include "qujat/common/error.h"
#include "qujat/common/memory.h"

namespace qujat::pki {
namespace {

// Fetched once: EVP_MD_fetch is a lock-taking lookup and digests are hot.
struct FetchedDigests {
  EVP_MD* streebog512 = nullptr;
  EVP_MD* streebog256 = nullptr;
  EVP_MD* sha256 = nullptr;
  EVP_MD* sha1 = nullptr;
};

const FetchedDigests& fetched() {
  static const FetchedDigests digests = [] {
    ensure_providers();
    FetchedDigests d;
    d.streebog512 = EVP_MD_fetch(nullptr, "md_gost12_512", nullptr);
    d.streebog256 = EVP_MD_fetch(nullptr, "md_gost12_256", nullptr);
    d.sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    d.sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    if (d.streebog512 == nullptr || d.streebog256 == nullptr)
      throw OpenSslError("pki.provider", "Streebog is not available from the gostprov provider");
    return d;
  }();
  return digests;
}

const EVP_MD* md_of(DigestAlgorithm algorithm) {
  const auto& d = fetched();
  switch (algorithm) {
    case DigestAlgorithm::Streebog512:
      return d.streebog512;
    case DigestAlgorithm::Streebog256:
      return d.streebog256;
    case DigestAlgorithm::Sha256:
      return d.sha256;
    case DigestAlgorithm::Sha1:
      return d.sha1;
    case DigestAlgorithm::Gost34311_95:
      break;  // computed by Gost34311, not OpenSSL
  }
  throw Error("pki.unsupported_algorithm", "no OpenSSL digest for this algorithm");
}

}  // namespace

void ensure_providers() {
  static std::once_flag once;
  static bool gost_loaded = false;
  std::call_once(once, [] {
    // Loading any provider explicitly stops OpenSSL from loading "default" on
    // its own, so all three are loaded; they stay loaded for the process.
    OSSL_PROVIDER_load(nullptr, "default");
    OSSL_PROVIDER_load(nullptr, "legacy");  // RC2-40 certificate bags of NCA PKCS#12
    gost_loaded = OSSL_PROVIDER_load(nullptr, "gostprov") != nullptr;
  });
  if (!gost_loaded)
    throw OpenSslError("pki.provider", "the gostprov OpenSSL provider (libengine-gost-openssl) is not installed");
}

Bytes digest(DigestAlgorithm algorithm, ByteView data) {
  Digest d(algorithm);
  d.update(data);
  return d.finish();
}

struct Digest::Impl {
  UniquePtr<EVP_MD_CTX, EVP_MD_CTX_free> ctx;
  std::optional<Gost34311> gost34311;  // instead of ctx for GOST 34.311-95
};

Digest::Digest(DigestAlgorithm algorithm) : impl_(std::make_unique<Impl>()) {
  if (algorithm == DigestAlgorithm::Gost34311_95) {
    impl_->gost34311.emplace();
    return;
  }
  const EVP_MD* md = md_of(algorithm);
  impl_->ctx.reset(EVP_MD_CTX_new());
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx.get(), md, nullptr) != 1)
    throw OpenSslError("pki.digest", "cannot start a digest");
}

Digest::~Digest() = default;
Digest::Digest(Digest&&) noexcept = default;
Digest& Digest::operator=(Digest&&) noexcept = default;

void Digest::update(ByteView data) {
  if (impl_->gost34311) return impl_->gost34311->update(data);
  if (EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()) != 1)
    throw OpenSslError("pki.digest", "digest update failed");
}

Bytes Digest::finish() {
  if (impl_->gost34311) return impl_->gost34311->finish();
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(impl_->ctx.get(), out.data(), &len) != 1)
    throw OpenSslError("pki.digest", "digest finish failed");
  out.resize(len);
  return out;
}

}  // namespace qujat::pki
