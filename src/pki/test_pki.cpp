#include "qujat/pki/test_pki.h"

#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "pki/der.h"
#include "pki/key_impl.h"
#include "pki/openssl_memory.h"
#include "qujat/common/error.h"
#include "qujat/pki/digest.h"

namespace qujat::pki {
namespace {

// DER of an OpenSSL object: `encode` is an i2d_* call writing into a fresh buffer.
template <class Encode>
Bytes der_of(Encode encode) {
  Bytes out = i2d_bytes(encode);
  if (out.empty()) throw OpenSslError("pki.encode", "DER encoding failed");
  return out;
}

Bytes der_integer(const BIGNUM* n) {
  auto i = make_unique_ptr<ASN1_INTEGER_free>(BN_to_ASN1_INTEGER(n, nullptr));
  return der_of([&](unsigned char** b) { return i2d_ASN1_INTEGER(i.get(), b); });
}

Bytes der_time(Instant t) {
  auto at = make_unique_ptr<ASN1_TIME_free>(ASN1_TIME_set(nullptr, static_cast<time_t>(t.time_since_epoch().count())));
  return der_of([&](unsigned char** b) { return i2d_ASN1_TIME(at.get(), b); });
}

gost::BignumPtr serial_bn(const std::string& hex) {
  if (!hex.empty()) return gost::bn_from_hex(hex.c_str());
  gost::BignumPtr n(BN_new());
  // 20 bytes with the top bit clear: a positive INTEGER of NCA's serial length.
  if (!n || BN_rand(n.get(), 159, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1)
    throw OpenSslError("pki.issue", "no randomness for a serial number");
  return n;
}

Bytes signature_algorithm_id(SignatureAlgorithm alg) {
  const Bytes null{0x05, 0x00};
  return der::sequence(der::concat({der::oid(signature_oid(alg)), null}));
}

Bytes sign_and_wrap(const PrivateKey& key, const Bytes& tbs) {
  const SignatureAlgorithm alg = key.default_signature();
  const Bytes sig = key.sign(alg, tbs);
  return der::sequence(der::concat({tbs, signature_algorithm_id(alg), der::bit_string(sig)}));
}

void add_extension(X509* x, X509V3_CTX* ctx, int nid, const std::string& value) {
  if (value.empty()) return;
  auto ext = make_unique_ptr<X509_EXTENSION_free>(X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(x, ext.get(), -1) != 1)
    throw OpenSslError("pki.issue", "cannot add extension " + std::string(OBJ_nid2sn(nid)) + " = " + value);
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

void set_public_key(X509* x, const PublicKey& key) {
  const auto& impl = key.impl();
  if (impl.rsa) {
    if (X509_set_pubkey(x, impl.rsa.get()) != 1) throw OpenSslError("pki.issue", "cannot set the RSA key");
    return;
  }
  // KZ GOST keys: OpenSSL has no EVP_PKEY for them, so the SPKI fields are set directly.
  const auto oids = gost_key_oids(impl.algorithm);
  if (!oids || !impl.point) throw Error("pki.issue", "the subject key is empty");
  const Bytes params = der::sequence(der::concat({der::oid(oids->params), der::oid(oids->digest)}));
  const Bytes octets = der::octet_string(impl.curve->point_to_le(impl.point.get()));
  auto pstr = make_unique_ptr<ASN1_STRING_free>(ASN1_STRING_new());
  auto penc = make_unique_ptr<free_openssl>(static_cast<unsigned char*>(OPENSSL_malloc(octets.size())));
  if (!pstr || !penc || ASN1_STRING_set(pstr.get(), params.data(), static_cast<int>(params.size())) != 1)
    throw OpenSslError("pki.issue", "out of memory");
  std::memcpy(penc.get(), octets.data(), octets.size());
  auto key_oid = make_unique_ptr<ASN1_OBJECT_free>(OBJ_txt2obj(oids->key, 1));
  if (X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(x), key_oid.get(), V_ASN1_SEQUENCE, pstr.get(), penc.get(),
                             static_cast<int>(octets.size())) != 1)
    throw OpenSslError("pki.issue", "cannot set the GOST key");
  // On success X509_PUBKEY_set0_param owns all three.
  key_oid.release();
  pstr.release();
  penc.release();
}

Instant or_now(Instant t) { return t == Instant{} ? now_utc() : t; }

}  // namespace

Certificate issue_certificate(const CertificateRequest& request, const PublicKey& subject_key,
                              const Certificate* issuer, const PrivateKey& issuer_key) {
  auto x = make_unique_ptr<X509_free>(X509_new());
  if (!x || X509_set_version(x.get(), X509_VERSION_3) != 1) throw OpenSslError("pki.issue", "out of memory");
  const auto serial = serial_bn(request.serial_hex);
  BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(x.get()));

  X509_NAME* subject = X509_get_subject_name(x.get());
  for (const auto& [field, value] : request.subject)
    if (X509_NAME_add_entry_by_txt(subject, field.c_str(), MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0) != 1)
      throw OpenSslError("pki.issue", "bad subject attribute " + field);
  X509_set_issuer_name(x.get(), issuer != nullptr ? X509_get_subject_name(issuer->native()) : subject);
  ASN1_TIME_set(X509_getm_notBefore(x.get()), static_cast<time_t>(request.not_before.time_since_epoch().count()));
  ASN1_TIME_set(X509_getm_notAfter(x.get()), static_cast<time_t>(request.not_after.time_since_epoch().count()));
  set_public_key(x.get(), subject_key);

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer->native() : x.get(), x.get(), nullptr, nullptr, 0);
  add_extension(x.get(), &ctx, NID_basic_constraints, request.ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_extension(x.get(), &ctx, NID_key_usage, request.key_usage);
  add_extension(x.get(), &ctx, NID_ext_key_usage, join(request.extended_key_usage));
  if (!request.policies.empty()) {
    // Built directly: the configuration syntax wants a policy section per OID.
    const auto policies = make_unique_ptr<CERTIFICATEPOLICIES_free>(CERTIFICATEPOLICIES_new());
    for (const auto& oid : request.policies) {
      auto info = make_unique_ptr<POLICYINFO_free>(POLICYINFO_new());
      info->policyid = OBJ_txt2obj(oid.c_str(), 1);
      if (sk_POLICYINFO_push(policies.get(), info.get()) > 0) info.release();  // the stack owns it now
    }
    const int rc = X509_add1_ext_i2d(x.get(), NID_certificate_policies, policies.get(), 0, X509V3_ADD_DEFAULT);
    if (rc != 1) throw OpenSslError("pki.issue", "cannot add the certificate policies");
  }
  add_extension(x.get(), &ctx, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) add_extension(x.get(), &ctx, NID_authority_key_identifier, "keyid");
  if (!request.crl_url.empty()) add_extension(x.get(), &ctx, NID_crl_distribution_points, "URI:" + request.crl_url);
  std::vector<std::string> aia;
  if (!request.ocsp_url.empty()) aia.push_back("OCSP;URI:" + request.ocsp_url);
  if (!request.ca_issuers_url.empty()) aia.push_back("caIssuers;URI:" + request.ca_issuers_url);
  add_extension(x.get(), &ctx, NID_info_access, join(aia));

  // OpenSSL cannot sign with KZ algorithms: the TBS gets the algorithm
  // identifier here and qujat's own GOST (or RSA) code signs its DER.
  const std::string alg_oid(signature_oid(issuer_key.default_signature()));
  auto* tbs_alg = const_cast<X509_ALGOR*>(X509_get0_tbs_sigalg(x.get()));
  auto alg_obj = make_unique_ptr<ASN1_OBJECT_free>(OBJ_txt2obj(alg_oid.c_str(), 1));
  if (X509_ALGOR_set0(tbs_alg, alg_obj.get(), V_ASN1_NULL, nullptr) != 1)
    throw OpenSslError("pki.issue", "cannot set the signature algorithm");
  alg_obj.release();  // the certificate owns it now
  const Bytes tbs = der_of([&](unsigned char** b) { return i2d_re_X509_tbs(x.get(), b); });
  return Certificate::from_der(sign_and_wrap(issuer_key, tbs));
}

Bytes issue_crl(const Certificate& issuer, const PrivateKey& issuer_key, Instant this_update, Instant next_update,
                const std::vector<CrlEntry>& entries, long crl_number, long delta_of) {
  const Bytes issuer_name =
      der_of([&](unsigned char** b) { return i2d_X509_NAME(X509_get_subject_name(issuer.native()), b); });
  Bytes revoked;
  for (const auto& e : entries) {
    const auto serial = gost::bn_from_hex(e.serial_hex.c_str());
    const Bytes reason = der::tlv(0x0A, Bytes{static_cast<std::uint8_t>(e.reason)});
    const Bytes reason_ext = der::sequence(der::concat({der::oid("2.5.29.21"), der::octet_string(reason)}));
    const Bytes entry =
        der::sequence(der::concat({der_integer(serial.get()), der_time(e.revoked_at), der::sequence(reason_ext)}));
    revoked.insert(revoked.end(), entry.begin(), entry.end());
  }
  auto number = make_unique_ptr<BN_free>(BN_new());
  BN_set_word(number.get(), static_cast<BN_ULONG>(crl_number));
  Bytes extensions = der::sequence(der::concat({der::oid("2.5.29.20"), der::octet_string(der_integer(number.get()))}));
  if (delta_of > 0) {
    auto base = make_unique_ptr<BN_free>(BN_new());
    BN_set_word(base.get(), static_cast<BN_ULONG>(delta_of));
    const Bytes critical{0x01, 0x01, 0xFF};
    const Bytes indicator =
        der::sequence(der::concat({der::oid("2.5.29.27"), critical, der::octet_string(der_integer(base.get()))}));
    extensions.insert(extensions.end(), indicator.begin(), indicator.end());
  }
  if (const ASN1_OCTET_STRING* skid = X509_get0_subject_key_id(issuer.native())) {
    const Bytes keyid =
        der::tlv(0x80, ByteView(ASN1_STRING_get0_data(skid), static_cast<std::size_t>(ASN1_STRING_length(skid))));
    const Bytes aki = der::sequence(der::concat({der::oid("2.5.29.35"), der::octet_string(der::sequence(keyid))}));
    extensions.insert(extensions.end(), aki.begin(), aki.end());
  }
  const Bytes version{0x02, 0x01, 0x01};
  Bytes tbs_content = der::concat({version, signature_algorithm_id(issuer_key.default_signature()), issuer_name,
                                   der_time(this_update), der_time(next_update)});
  if (!entries.empty()) {
    const Bytes list = der::sequence(revoked);
    tbs_content.insert(tbs_content.end(), list.begin(), list.end());
  }
  const Bytes ext_block = der::tlv(0xA0, der::sequence(extensions));
  tbs_content.insert(tbs_content.end(), ext_block.begin(), ext_block.end());
  return sign_and_wrap(issuer_key, der::sequence(tbs_content));
}

Bytes write_pkcs12(const PrivateKey& key, const Certificate& certificate, const std::vector<Certificate>& chain,
                   const std::string& password, const std::string& friendly_name) {
  ensure_providers();  // RC2-40 lives in the legacy provider
  const int pass_len = static_cast<int>(password.size());
  unsigned char key_id[EVP_MAX_MD_SIZE];
  unsigned int key_id_len = 0;
  if (X509_digest(certificate.native(), EVP_sha1(), key_id, &key_id_len) != 1)
    throw OpenSslError("pkcs12.write", "cannot compute the local key id");

  const auto key_bags = make_unique_ptr<free_safebags>(sk_PKCS12_SAFEBAG_new_null());
  const auto cert_bags = make_unique_ptr<free_safebags>(sk_PKCS12_SAFEBAG_new_null());
  // The stack owns a bag only once the push succeeded.
  auto add_bag = [](STACK_OF(PKCS12_SAFEBAG) * bags, UniquePtr<PKCS12_SAFEBAG, PKCS12_SAFEBAG_free> bag) {
    if (sk_PKCS12_SAFEBAG_push(bags, bag.get()) > 0) bag.release();
  };

  auto p8 = to_pkcs8(key);
  auto kb = make_unique_ptr<PKCS12_SAFEBAG_free>(
      PKCS12_SAFEBAG_create_pkcs8_encrypt_ex(NID_pbe_WithSHA1And3_Key_TripleDES_CBC, password.c_str(), pass_len,
                                             nullptr, 0, 1024, p8.get(), nullptr, nullptr));
  if (!kb) throw OpenSslError("pkcs12.write", "cannot encrypt the private key");
  PKCS12_add_localkeyid(kb.get(), key_id, static_cast<int>(key_id_len));
  if (!friendly_name.empty()) PKCS12_add_friendlyname_utf8(kb.get(), friendly_name.c_str(), -1);
  add_bag(key_bags.get(), std::move(kb));

  auto cb = make_unique_ptr<PKCS12_SAFEBAG_free>(PKCS12_SAFEBAG_create_cert(certificate.native()));
  if (!cb) throw OpenSslError("pkcs12.write", "cannot add the certificate");
  PKCS12_add_localkeyid(cb.get(), key_id, static_cast<int>(key_id_len));
  add_bag(cert_bags.get(), std::move(cb));
  for (const auto& c : chain) {
    auto b = make_unique_ptr<PKCS12_SAFEBAG_free>(PKCS12_SAFEBAG_create_cert(c.native()));
    if (!b) throw OpenSslError("pkcs12.write", "cannot add a chain certificate");
    add_bag(cert_bags.get(), std::move(b));
  }

  STACK_OF(PKCS7)* safes = nullptr;
  // NCA's order: the key bag in plain data, then the RC2-40 encrypted certificates.
  const bool ok = PKCS12_add_safe_ex(&safes, key_bags.get(), -1, 0, nullptr, nullptr, nullptr) == 1 &&
                  PKCS12_add_safe_ex(&safes, cert_bags.get(), NID_pbe_WithSHA1And40BitRC2_CBC, 1024, password.c_str(),
                                     nullptr, nullptr) == 1;
  const auto safes_owner = make_unique_ptr<free_pkcs7s>(safes);
  if (!ok) throw OpenSslError("pkcs12.write", "cannot build the key store");
  auto p12 = make_unique_ptr<PKCS12_free>(PKCS12_add_safes_ex(safes, 0, nullptr, nullptr));
  if (!p12 || PKCS12_set_mac(p12.get(), password.c_str(), pass_len, nullptr, 0, 1024, EVP_sha1()) != 1)
    throw OpenSslError("pkcs12.write", "cannot seal the key store");
  return der_of([&](unsigned char** b) { return i2d_PKCS12(p12.get(), b); });
}

bool has_valid_check_digit(std::string_view id) {
  if (id.size() != 12) return false;
  for (const char c : id)
    if (c < '0' || c > '9') return false;
  const auto check = with_check_digit(id.substr(0, 11));
  return check && (*check)[11] == id[11];
}

std::optional<std::string> with_check_digit(std::string_view first11) {
  if (first11.size() != 11) return std::nullopt;
  auto sum = [first11](int start) {
    int s = 0;
    for (int i = 0; i < 11; ++i) s += (first11[static_cast<std::size_t>(i)] - '0') * ((start + i - 1) % 11 + 1);
    return s % 11;
  };
  int digit = sum(1);
  if (digit == 10) digit = sum(3);
  if (digit == 10) return std::nullopt;
  return std::string(first11) + static_cast<char>('0' + digit);
}

namespace {

struct Holder {
  const char* name;
  std::vector<std::pair<std::string, std::string>> subject;
  std::vector<std::string> eku;
};

std::vector<Holder> holders() {
  // Fictional people and organisations; IIN/BIN carry valid check digits.
  const std::string iin_person = *with_check_digit("90010130001");
  const std::string iin_head = *with_check_digit("85050240002");
  const std::string iin_officer = *with_check_digit("78111130003");
  const std::string iin_revoked = *with_check_digit("95070150004");
  const std::string bin_company = *with_check_digit("12034000005");
  const std::string bin_ministry = *with_check_digit("99054000006");
  const std::string iin_end_user_head = *with_check_digit("80030350007");
  const std::string bin_end_user = *with_check_digit("13044000008");
  const std::string iin_employee = *with_check_digit("92080260009");
  return {
      {"individual",
       {{"CN", "ҚҰЖАТОВ САНЖАР"},
        {"SN", "ҚҰЖАТОВ"},
        {"serialNumber", "IIN" + iin_person},
        {"C", "KZ"},
        {"GN", "ТЕСТҰЛЫ"}},
       {"emailProtection", "1.2.398.3.3.4.1.1"}},
      {"first_head",
       {{"CN", "ТЕСТОВА АЙГЕРІМ"},
        {"SN", "ТЕСТОВА"},
        {"serialNumber", "IIN" + iin_head},
        {"C", "KZ"},
        {"O", "ТОО \"QUJAT TEST EXPORT\""},
        {"OU", "BIN" + bin_company},
        {"GN", "ТЕСТҚЫЗЫ"}},
       {"emailProtection", "1.2.398.3.3.4.1.2", "1.2.398.3.3.4.1.2.1"}},
      {"officer",
       {{"CN", "МИНИСТРЛІКОВ ЕРЛАН"},
        {"SN", "МИНИСТРЛІКОВ"},
        {"serialNumber", "IIN" + iin_officer},
        {"C", "KZ"},
        {"O", "QUJAT TEST MINISTRY"},
        {"OU", "BIN" + bin_ministry},
        {"GN", "ТЕСТҰЛЫ"}},
       {"emailProtection", "1.2.398.3.3.4.1.2", "1.2.398.3.3.4.1.2.2"}},
      // The individual's authentication key: NCA RSA key sets come as a
      // separate AUTH and SIGN key; an AUTH key must not sign documents.
      {"individual_auth",
       {{"CN", "ҚҰЖАТОВ САНЖАР"},
        {"SN", "ҚҰЖАТОВ"},
        {"serialNumber", "IIN" + iin_person},
        {"C", "KZ"},
        {"GN", "ТЕСТҰЛЫ"}},
       {"clientAuth", "1.2.398.3.3.4.1.1"}},
      // An employee of the exporting company without signing authority.
      {"employee",
       {{"CN", "ҚЫЗМЕТКЕРОВ ДӘУРЕН"},
        {"SN", "ҚЫЗМЕТКЕРОВ"},
        {"serialNumber", "IIN" + iin_employee},
        {"C", "KZ"},
        {"O", "ТОО \"QUJAT TEST EXPORT\""},
        {"OU", "BIN" + bin_company},
        {"GN", "ТЕСТҰЛЫ"}},
       {"emailProtection", "1.2.398.3.3.4.1.2", "1.2.398.3.3.4.1.2.5"}},
      // The first head of a second company: the end user who co-signs an
      // importer's guarantee obligation (EUC).
      {"end_user_head",
       {{"CN", "СОҢҒЫ ПАЙДАЛАНУШЫ"},
        {"SN", "СОҢҒЫ"},
        {"serialNumber", "IIN" + iin_end_user_head},
        {"C", "KZ"},
        {"O", "ТОО \"QUJAT TEST END USER\""},
        {"OU", "BIN" + bin_end_user},
        {"GN", "ТЕСТҚЫЗЫ"}},
       {"emailProtection", "1.2.398.3.3.4.1.2", "1.2.398.3.3.4.1.2.1"}},
      {"revoked",
       {{"CN", "ҚАЙТАРЫЛҒАН ТЕСТ"},
        {"SN", "ҚАЙТАРЫЛҒАН"},
        {"serialNumber", "IIN" + iin_revoked},
        {"C", "KZ"},
        {"GN", "ТЕСТҰЛЫ"}},
       {"emailProtection", "1.2.398.3.3.4.1.1"}},
  };
}

TestPkiFamily make_family(const std::filesystem::path& dir, const std::string& label, KeyAlgorithm algorithm,
                          const std::string& password, Instant now, int rsa_bits) {
  using namespace std::chrono;
  std::filesystem::create_directories(dir);
  TestPkiFamily family;
  family.dir = dir.string();
  const std::string base = "http://qujat.test/" + label;  // .test never resolves: nothing leaves the machine
  const Instant start = now - hours(24);

  const auto root_key = generate_key(algorithm, rsa_bits);
  CertificateRequest root_req;
  root_req.subject = {{"CN", "QUJAT TEST ROOT CA (" + label + ")"}, {"C", "KZ"}};
  root_req.not_before = start;
  root_req.not_after = start + days(3650);
  root_req.ca = true;
  root_req.key_usage = "critical,keyCertSign,cRLSign";
  const auto root = issue_certificate(root_req, root_key.public_key(), nullptr, root_key);

  const auto ca_key = generate_key(algorithm, rsa_bits);
  CertificateRequest ca_req = root_req;
  ca_req.subject = {{"CN", "QUJAT TEST NCA (" + label + ")"}, {"C", "KZ"}};
  ca_req.not_after = start + days(1825);
  ca_req.crl_url = base + "/root.crl";
  ca_req.ca_issuers_url = base + "/root.cer";
  const auto ca = issue_certificate(ca_req, ca_key.public_key(), &root, root_key);

  family.root = (dir / "root.cer").string();
  family.ca = (dir / "ca.cer").string();
  write_file(family.root, root.der());
  write_file(family.ca, ca.der());

  std::vector<CrlEntry> revoked;
  for (const auto& holder : holders()) {
    const auto key = generate_key(algorithm, rsa_bits);
    CertificateRequest req;
    req.subject = holder.subject;
    req.not_before = start;
    req.not_after = start + days(365);
    const bool authentication = std::find(holder.eku.begin(), holder.eku.end(), "clientAuth") != holder.eku.end();
    req.key_usage = authentication ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature,nonRepudiation";
    req.extended_key_usage = holder.eku;
    req.policies = {"1.2.398.3.3.2"};
    req.crl_url = base + "/ca.crl";
    req.ocsp_url = base + "/ocsp/";
    req.ca_issuers_url = base + "/ca.cer";
    const auto cert = issue_certificate(req, key.public_key(), &ca, ca_key);
    const std::string name = holder.name;
    family.keys[name] = (dir / (name + ".p12")).string();
    family.certificates[name] = (dir / (name + ".cer")).string();
    write_file(family.keys[name], write_pkcs12(key, cert, {ca}, password, name));
    write_file(family.certificates[name], cert.der());
    if (name == "revoked") revoked.push_back({cert.serial_hex(), now - hours(1), 1});
  }
  family.crl = (dir / "ca.crl").string();
  write_file(family.crl, issue_crl(ca, ca_key, now - hours(2), now + days(30), revoked));
  return family;
}

}  // namespace

TestPki make_test_pki(const std::string& dir, const std::string& password, const TestPkiOptions& options) {
  namespace fs = std::filesystem;
  const Instant now = or_now(options.now);
  TestPki pki;
  pki.dir = dir;
  pki.gost = make_family(fs::path(dir) / "gost", "GOST", KeyAlgorithm::Gost2015_512, password, now, options.rsa_bits);
  pki.rsa = make_family(fs::path(dir) / "rsa", "RSA", KeyAlgorithm::Rsa, password, now, options.rsa_bits);
  const fs::path trust = fs::path(dir) / "trust";
  fs::create_directories(trust);
  fs::copy_file(pki.gost.root, trust / "qujat_test_root_gost.cer", fs::copy_options::overwrite_existing);
  fs::copy_file(pki.rsa.root, trust / "qujat_test_root_rsa.cer", fs::copy_options::overwrite_existing);
  pki.trust_dir = trust.string();
  return pki;
}

}  // namespace qujat::pki
