#include "qujat/pki/certificate.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <filesystem>

#include "pki/der.h"
#include "pki/key_impl.h"
#include "pki/openssl_memory.h"
#include "qujat/common/error.h"
#include "qujat/common/memory.h"

namespace qujat::pki {
namespace {

std::string oid_string(const ASN1_OBJECT* obj) {
  char buf[128];
  OBJ_obj2txt(buf, sizeof buf, obj, 1);
  return buf;
}

std::string name_text(const X509_NAME* name) {
  auto bio = make_unique_ptr<BIO_free>(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string entry_text(const X509_NAME* name, int nid) {
  const int idx = X509_NAME_get_index_by_NID(name, nid, -1);
  if (idx < 0) return {};
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char* raw = nullptr;
  const int len = ASN1_STRING_to_UTF8(&raw, value);
  const auto utf8 = make_unique_ptr<free_openssl>(raw);
  if (len < 0) return {};
  return std::string(reinterpret_cast<const char*>(utf8.get()), static_cast<std::size_t>(len));
}

std::vector<std::string> all_entries(const X509_NAME* name, int nid) {
  std::vector<std::string> out;
  for (int idx = -1; (idx = X509_NAME_get_index_by_NID(name, nid, idx)) >= 0;) {
    unsigned char* raw = nullptr;
    const int len = ASN1_STRING_to_UTF8(&raw, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx)));
    const auto utf8 = make_unique_ptr<free_openssl>(raw);
    if (len < 0) continue;
    out.emplace_back(reinterpret_cast<const char*>(utf8.get()), static_cast<std::size_t>(len));
  }
  return out;
}

bool digits12(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> access_urls(X509* x, int method_nid) {
  std::vector<std::string> out;
  const auto aia = make_unique_ptr<AUTHORITY_INFO_ACCESS_free>(
      static_cast<AUTHORITY_INFO_ACCESS*>(X509_get_ext_d2i(x, NID_info_access, nullptr, nullptr)));
  if (!aia) return out;
  for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia.get()); ++i) {
    const ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(aia.get(), i);
    if (OBJ_obj2nid(ad->method) == method_nid && ad->location->type == GEN_URI)
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(ad->location->d.uniformResourceIdentifier)),
                       static_cast<std::size_t>(ASN1_STRING_length(ad->location->d.uniformResourceIdentifier)));
  }
  return out;
}

bool is_certificate(const PemBlock& block) {
  const std::string_view name = block.name.get();
  return name == "CERTIFICATE" || name == "X509 CERTIFICATE";
}

}  // namespace

std::string_view name(Role r) {
  switch (r) {
    case Role::Individual:
      return "individual";
    case Role::OrganisationEmployee:
      return "organisation_employee";
    case Role::FirstHead:
      return "first_head";
    case Role::AuthorisedSignatory:
      return "authorised_signatory";
    case Role::Employee:
      return "employee";
  }
  return "unknown";
}

struct Certificate::Impl {
  UniquePtr<X509, X509_free> x509;
  Bytes der;
  PublicKey key;  // Unknown algorithm when the key is not understood
};

Certificate::Certificate(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Certificate::Certificate(const Certificate&) = default;
Certificate& Certificate::operator=(const Certificate&) = default;
Certificate::Certificate(Certificate&&) noexcept = default;
Certificate& Certificate::operator=(Certificate&&) noexcept = default;
Certificate::~Certificate() = default;

Certificate Certificate::from_der(ByteView der) {
  auto impl = std::make_shared<Impl>();
  const unsigned char* p = der.data();
  impl->x509.reset(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!impl->x509) throw OpenSslError("pki.certificate", "malformed X.509 certificate");
  // Keep only the certificate's own bytes (a file may carry trailing data).
  impl->der.assign(der.data(), p);
  clear_openssl_errors();  // OpenSSL queues "unsupported key" for KZ OIDs
  if (const X509_PUBKEY* pub = X509_get_X509_PUBKEY(impl->x509.get())) {
    const Bytes spki = i2d_bytes([&](unsigned char** b) { return i2d_X509_PUBKEY(pub, b); });
    if (!spki.empty()) {
      try {
        impl->key = PublicKey::from_spki_der(spki);
      } catch (const Error&) {
        // An unknown key algorithm still leaves a readable certificate.
      }
    }
  }
  clear_openssl_errors();
  return Certificate(std::move(impl));
}

Certificate Certificate::from_file(const std::string& path) {
  const Bytes data = read_file(path);
  try {
    const auto text = as_chars(data);
    if (text.find("-----BEGIN") != std::string_view::npos) {
      auto bio = make_unique_ptr<BIO_free>(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
      while (const auto block = next_pem_block(bio.get()))
        if (is_certificate(*block)) return from_der(block->der());
      clear_openssl_errors();
      throw Error("pki.certificate", "no certificate in PEM file");
    }
    if (data.empty()) throw Error("pki.certificate", "empty file");
    // Bare base64 (no PEM armour) is how NCA services sometimes hand out certificates.
    if (auto b64 = base64_decode(text); b64 && !b64->empty() && (*b64)[0] == 0x30 && data[0] != 0x30)
      return from_der(*b64);
    return from_der(data);
  } catch (const Error& e) {
    throw Error("pki.certificate", "cannot read certificate " + path, {e.full_message()});
  }
}

std::vector<Certificate> Certificate::load_all(const std::string& path) {
  std::vector<Certificate> out;
  namespace fs = std::filesystem;
  if (fs::is_directory(path)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path))
      if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      const auto ext = f.extension().string();
      if (ext != ".cer" && ext != ".crt" && ext != ".pem" && ext != ".der") continue;
      auto more = load_all(f.string());
      out.insert(out.end(), more.begin(), more.end());
    }
    return out;
  }
  const Bytes data = read_file(path);
  if (as_chars(data).find("-----BEGIN") != std::string_view::npos) {
    auto bio = make_unique_ptr<BIO_free>(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    while (const auto block = next_pem_block(bio.get()))
      if (is_certificate(*block)) out.push_back(from_der(block->der()));
    clear_openssl_errors();
    if (out.empty()) throw Error("pki.certificate", "no certificate in " + path);
    return out;
  }
  out.push_back(from_file(path));
  return out;
}

X509* Certificate::native() const { return impl_->x509.get(); }
Bytes Certificate::der() const { return impl_->der; }
std::string Certificate::subject() const { return name_text(X509_get_subject_name(native())); }
std::string Certificate::issuer() const { return name_text(X509_get_issuer_name(native())); }

std::string Certificate::serial_hex() const {
  auto bn = make_unique_ptr<BN_free>(ASN1_INTEGER_to_BN(X509_get0_serialNumber(native()), nullptr));
  const auto hex = make_unique_ptr<free_openssl>(BN_bn2hex(bn.get()));
  std::string out = hex.get();
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Instant Certificate::not_before() const { return der::instant_from_asn1(X509_get0_notBefore(native())); }
Instant Certificate::not_after() const { return der::instant_from_asn1(X509_get0_notAfter(native())); }

bool Certificate::is_ca() const {
  // X509_check_ca also accepts v1 roots; NCA certificates are all v3.
  const auto bc = make_unique_ptr<BASIC_CONSTRAINTS_free>(
      static_cast<BASIC_CONSTRAINTS*>(X509_get_ext_d2i(native(), NID_basic_constraints, nullptr, nullptr)));
  return bc && bc->ca != 0;
}

unsigned Certificate::key_usage() const {
  const uint32_t ku = X509_get_key_usage(native());
  clear_openssl_errors();
  return ku == UINT32_MAX ? 0u : ku;
}

std::vector<std::string> Certificate::extended_key_usage() const {
  std::vector<std::string> out;
  const auto eku = make_unique_ptr<EXTENDED_KEY_USAGE_free>(
      static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(native(), NID_ext_key_usage, nullptr, nullptr)));
  if (!eku) return out;
  for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) out.push_back(oid_string(sk_ASN1_OBJECT_value(eku.get(), i)));
  return out;
}

std::vector<std::string> Certificate::policies() const {
  std::vector<std::string> out;
  const auto pols = make_unique_ptr<CERTIFICATEPOLICIES_free>(
      static_cast<CERTIFICATEPOLICIES*>(X509_get_ext_d2i(native(), NID_certificate_policies, nullptr, nullptr)));
  if (!pols) return out;
  for (int i = 0; i < sk_POLICYINFO_num(pols.get()); ++i)
    out.push_back(oid_string(sk_POLICYINFO_value(pols.get(), i)->policyid));
  return out;
}

std::vector<std::string> Certificate::crl_urls() const {
  std::vector<std::string> out;
  for (const int nid : {NID_crl_distribution_points, NID_freshest_crl}) {
    const auto dps = make_unique_ptr<CRL_DIST_POINTS_free>(
        static_cast<CRL_DIST_POINTS*>(X509_get_ext_d2i(native(), nid, nullptr, nullptr)));
    if (!dps) continue;
    for (int i = 0; i < sk_DIST_POINT_num(dps.get()); ++i) {
      const DIST_POINT* dp = sk_DIST_POINT_value(dps.get(), i);
      if (dp->distpoint == nullptr || dp->distpoint->type != 0) continue;
      const GENERAL_NAMES* names = dp->distpoint->name.fullname;
      for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, j);
        if (gn->type == GEN_URI)
          out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(gn->d.uniformResourceIdentifier)),
                           static_cast<std::size_t>(ASN1_STRING_length(gn->d.uniformResourceIdentifier)));
      }
    }
  }
  return out;
}

std::vector<std::string> Certificate::ocsp_urls() const { return access_urls(native(), NID_ad_OCSP); }
std::vector<std::string> Certificate::ca_issuer_urls() const { return access_urls(native(), NID_ad_ca_issuers); }

KeyAlgorithm Certificate::key_algorithm() const { return impl_->key.algorithm(); }
const PublicKey& Certificate::public_key() const { return impl_->key; }

std::optional<SignatureAlgorithm> Certificate::signature_algorithm() const {
  const X509_ALGOR* alg = nullptr;
  X509_get0_signature(nullptr, &alg, native());
  const ASN1_OBJECT* obj = nullptr;
  X509_ALGOR_get0(&obj, nullptr, nullptr, alg);
  return signature_from_oid(oid_string(obj));
}

Identity Certificate::identity() const {
  Identity id;
  const X509_NAME* s = X509_get_subject_name(native());
  if (const auto serial = entry_text(s, NID_serialNumber); serial.rfind("IIN", 0) == 0 && digits12(serial.substr(3)))
    id.iin = serial.substr(3);
  for (const auto& ou : all_entries(s, NID_organizationalUnitName))
    if (ou.rfind("BIN", 0) == 0 && digits12(ou.substr(3))) id.bin = ou.substr(3);
  id.common_name = entry_text(s, NID_commonName);
  id.surname = entry_text(s, NID_surname);
  id.given_name = entry_text(s, NID_givenName);
  id.organization = entry_text(s, NID_organizationName);
  id.email = entry_text(s, NID_pkcs9_emailAddress);
  id.country = entry_text(s, NID_countryName);

  // NCA marks the holder's role with 1.2.398.3.3.4.1.x in the EKU (and some
  // CAs in the policies); both are read.
  auto oids = extended_key_usage();
  const auto pols = policies();
  oids.insert(oids.end(), pols.begin(), pols.end());
  auto add = [&id](Role r) {
    if (std::find(id.roles.begin(), id.roles.end(), r) == id.roles.end()) id.roles.push_back(r);
  };
  for (const auto& oid : oids) {
    if (oid == "1.2.398.3.3.4.1.1")
      add(Role::Individual);
    else if (oid == "1.2.398.3.3.4.1.2")
      add(Role::OrganisationEmployee);
    else if (oid == "1.2.398.3.3.4.1.2.1")
      add(Role::FirstHead);
    else if (oid == "1.2.398.3.3.4.1.2.2")
      add(Role::AuthorisedSignatory);
    else if (oid == "1.2.398.3.3.4.1.2.5")
      add(Role::Employee);
    else if (oid == "1.3.6.1.5.5.7.3.4")
      id.signing_key = true;
    else if (oid == "1.3.6.1.5.5.7.3.2")
      id.authentication_key = true;
  }
  if (!id.signing_key && !id.authentication_key && (key_usage() & KU_NON_REPUDIATION) != 0) id.signing_key = true;
  return id;
}

namespace {
// The exact signed bytes and the signature of a SEQUENCE{tbs, alg, BIT STRING}
// structure (certificate, CRL, OCSP BasicResponse), as transmitted: OpenSSL's
// re-encoding could differ from what the CA signed.
struct SignedParts {
  ByteView tbs;
  ByteView signature;
};
std::optional<SignedParts> split_signed(ByteView der) {
  auto outer = der::read(der);
  if (!outer || outer->tag != 0x30) return std::nullopt;
  auto parts = der::children(*outer);
  // tbs, algorithm, BIT STRING with no unused bits (an OCSP BasicResponse adds [0] certs).
  if (!parts || parts->size() < 3 || parts->size() > 4 || (parts->size() == 4 && (*parts)[3].tag != 0xA0) ||
      (*parts)[0].tag != 0x30 || (*parts)[1].tag != 0x30 || (*parts)[2].tag != 0x03 || (*parts)[2].content.empty() ||
      (*parts)[2].content[0] != 0)
    return std::nullopt;
  return SignedParts{(*parts)[0].whole, (*parts)[2].content.subspan(1)};
}
}  // namespace

bool verify_signed_structure(ByteView der, std::optional<SignatureAlgorithm> algorithm, const PublicKey& key) {
  if (!algorithm || key.algorithm() == KeyAlgorithm::Unknown) return false;
  const auto parts = split_signed(der);
  if (!parts) return false;
  try {
    return key.verify(*algorithm, parts->tbs, parts->signature);
  } catch (const Error&) {
    return false;  // wrong key kind or unsupported digest: not a valid signature
  }
}

bool Certificate::is_signed_by(const Certificate& issuer) const {
  // The outer algorithm is not signed; it must repeat the signed one (RFC 5280 4.1.1.2).
  const X509_ALGOR* outer = nullptr;
  X509_get0_signature(nullptr, &outer, native());
  if (X509_ALGOR_cmp(outer, X509_get0_tbs_sigalg(native())) != 0) return false;
  return verify_signed_structure(impl_->der, signature_algorithm(), issuer.public_key());
}

bool Certificate::same_as(const Certificate& other) const { return impl_->der == other.impl_->der; }

}  // namespace qujat::pki
