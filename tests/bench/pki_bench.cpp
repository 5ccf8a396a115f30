// PKI throughput: raw GOST 34.10-2015-512 sign/verify, RSA-2048 verify and a
// certification-path check. Run: qujat_bench --benchmark_filter=Pki
#include <benchmark/benchmark.h>

#include <filesystem>

#include "qujat/pki/chain.h"
#include "qujat/pki/digest.h"
#include "qujat/pki/keys.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/pki/test_pki.h"
#include "support/nca_material.h"

namespace {
using namespace qujat;
using namespace qujat::pki;

const Bytes& message() {
  static const Bytes m(2048, 0x5A);  // a typical SignedInfo is well under this
  return m;
}

void Pki_Gost512_Sign(benchmark::State& state) {
  const auto key = generate_key(KeyAlgorithm::Gost2015_512);
  const Bytes d = digest(DigestAlgorithm::Streebog512, message());
  for (auto _ : state) benchmark::DoNotOptimize(key.sign_digest(SignatureAlgorithm::Gost2015_512, d));
  state.counters["ops/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(Pki_Gost512_Sign)->Unit(benchmark::kMicrosecond);

void Pki_Gost512_Verify(benchmark::State& state) {
  const auto key = generate_key(KeyAlgorithm::Gost2015_512);
  const auto pub = key.public_key();
  const Bytes d = digest(DigestAlgorithm::Streebog512, message());
  const Bytes sig = key.sign_digest(SignatureAlgorithm::Gost2015_512, d);
  for (auto _ : state)
    if (!pub.verify_digest(SignatureAlgorithm::Gost2015_512, d, sig)) state.SkipWithError("verify failed");
  state.counters["ops/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(Pki_Gost512_Verify)->Unit(benchmark::kMicrosecond);

void Pki_Gost512_VerifyWithStreebog2k(benchmark::State& state) {
  const auto key = generate_key(KeyAlgorithm::Gost2015_512);
  const auto pub = key.public_key();
  const Bytes sig = key.sign(SignatureAlgorithm::Gost2015_512, message());
  for (auto _ : state)
    if (!pub.verify(SignatureAlgorithm::Gost2015_512, message(), sig)) state.SkipWithError("verify failed");
  state.counters["ops/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(Pki_Gost512_VerifyWithStreebog2k)->Unit(benchmark::kMicrosecond);

// The legacy hash GOST 34.311-95 (qujat's own code, src/pki/gost34311.cpp)
// next to Streebog-512 (OpenSSL's gostprov) over the same 4 KiB.
void Pki_Digest4k(benchmark::State& state, DigestAlgorithm algorithm) {
  const Bytes data(4096, 0x5A);
  for (auto _ : state) benchmark::DoNotOptimize(digest(algorithm, data));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 4096);
}
BENCHMARK_CAPTURE(Pki_Digest4k, gost34311_95, DigestAlgorithm::Gost34311_95)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(Pki_Digest4k, streebog512, DigestAlgorithm::Streebog512)->Unit(benchmark::kMicrosecond);

// A legacy GOST 34.310-2004 certificate signature of the NCA test CA (one
// GOST 34.311-95 hash of the TBS and one verification on CryptoPro-A).
void Pki_Gost2004_CertificateSignature(benchmark::State& state) {
  const auto ca = Certificate::from_file(qujat::test::nca("ca/nca_gost_test.crt"));
  const auto leaf = Certificate::from_file(qujat::test::nca("certs/ceo_valid_sign_2004_gost.cer"));
  for (auto _ : state)
    if (!leaf.is_signed_by(ca)) state.SkipWithError("signature does not hold");
  state.counters["ops/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(Pki_Gost2004_CertificateSignature)->Unit(benchmark::kMicrosecond);

void Pki_Rsa2048_Verify(benchmark::State& state) {
  const auto key = generate_key(KeyAlgorithm::Rsa, 2048);
  const auto pub = key.public_key();
  const Bytes d = digest(DigestAlgorithm::Sha256, message());
  const Bytes sig = key.sign_digest(SignatureAlgorithm::RsaSha256, d);
  for (auto _ : state)
    if (!pub.verify_digest(SignatureAlgorithm::RsaSha256, d, sig)) state.SkipWithError("verify failed");
  state.counters["ops/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(Pki_Rsa2048_Verify)->Unit(benchmark::kMicrosecond);

// root -> issuing CA -> signer, all GOST 2015-512, as NCA's 2022 hierarchy.
void Pki_Gost512_ChainValidation(benchmark::State& state) {
  using namespace std::chrono;
  const Instant now = now_utc();
  const auto root_key = generate_key(KeyAlgorithm::Gost2015_512);
  CertificateRequest req;
  req.subject = {{"CN", "BENCH ROOT"}, {"C", "KZ"}};
  req.not_before = now - hours(1);
  req.not_after = now + days(365);
  req.ca = true;
  req.key_usage = "critical,keyCertSign,cRLSign";
  const auto root = issue_certificate(req, root_key.public_key(), nullptr, root_key);
  const auto ca_key = generate_key(KeyAlgorithm::Gost2015_512);
  req.subject = {{"CN", "BENCH CA"}, {"C", "KZ"}};
  const auto ca = issue_certificate(req, ca_key.public_key(), &root, root_key);
  const auto leaf_key = generate_key(KeyAlgorithm::Gost2015_512);
  req.subject = {{"CN", "BENCH SIGNER"}, {"serialNumber", "IIN900101300017"}, {"C", "KZ"}};
  req.ca = false;
  req.key_usage = "critical,digitalSignature,nonRepudiation";
  const auto leaf = issue_certificate(req, leaf_key.public_key(), &ca, ca_key);
  TrustStore store;
  store.add_anchor(root);
  store.add_intermediate(ca);
  for (auto _ : state)
    if (!verify_chain(leaf, store, now).trusted) state.SkipWithError("chain not trusted");
}
BENCHMARK(Pki_Gost512_ChainValidation)->Unit(benchmark::kMicrosecond);

// The real NCA test signer against nca_gost2022_test.cer as anchor (one GOST
// verification plus path building; tests/data/nca-test).
void Pki_NcaGost2015_ChainValidation(benchmark::State& state) {
  const std::filesystem::path nca = qujat::test::nca_test_dir();
  const auto leaf = load_pkcs12((nca / "keys" / "individual_valid_2015_gost.p12").string(), qujat::test::kNcaGost2015Password).certificate;
  TrustStore store;
  store.add_anchors_from((nca / "ca").string());
  const Instant at = *parse_instant("2022-12-01T00:00:00Z");
  for (auto _ : state)
    if (!verify_chain(leaf, store, at).trusted) state.SkipWithError("chain not trusted");
}
BENCHMARK(Pki_NcaGost2015_ChainValidation)->Unit(benchmark::kMicrosecond);

}  // namespace
