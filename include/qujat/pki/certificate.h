// An X.509 certificate of the national PKI, with the KZ OIDs understood:
// who the holder is (IIN, BIN, organisation, role) and what the key is for.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "qujat/common/bytes.h"
#include "qujat/common/time.h"
#include "qujat/pki/keys.h"

typedef struct x509_st X509;

namespace qujat::pki {

enum class Role { Individual, OrganisationEmployee, FirstHead, AuthorisedSignatory, Employee };
std::string_view name(
    Role r);  // "individual", "organisation_employee", "first_head", "authorised_signatory", "employee"

struct Identity {
  std::string iin;           // 12 digits, from subject serialNumber "IIN..."; empty when absent
  std::string bin;           // 12 digits, from subject OU "BIN..."; empty when absent
  std::string common_name;   // CN
  std::string surname;       // SN
  std::string given_name;    // G (patronymic in NCA certificates)
  std::string organization;  // O
  std::string email;
  std::string country;  // C
  std::vector<Role> roles;
  bool signing_key = false;         // EKU emailProtection / nonRepudiation
  bool authentication_key = false;  // EKU clientAuth
};

class Certificate {
 public:
  static Certificate from_der(ByteView der);
  // PEM or DER, detected. Throws qujat::Error("pki.certificate") naming the file.
  static Certificate from_file(const std::string& path);
  // Every certificate in a PEM bundle, a DER file or a directory of such files.
  static std::vector<Certificate> load_all(const std::string& path);

  Certificate(const Certificate&);
  Certificate& operator=(const Certificate&);
  Certificate(Certificate&&) noexcept;
  Certificate& operator=(Certificate&&) noexcept;
  ~Certificate();

  X509* native() const;  // borrowed, never null
  Bytes der() const;

  std::string subject() const;  // RFC 2253, UTF-8
  std::string issuer() const;
  std::string serial_hex() const;
  Instant not_before() const;
  Instant not_after() const;
  bool is_ca() const;
  unsigned key_usage() const;                           // X509v3 KU bits as OpenSSL's X509_get_key_usage
  std::vector<std::string> extended_key_usage() const;  // dotted OIDs
  std::vector<std::string> policies() const;            // dotted OIDs
  std::vector<std::string> crl_urls() const;
  std::vector<std::string> ocsp_urls() const;
  std::vector<std::string> ca_issuer_urls() const;

  KeyAlgorithm key_algorithm() const;
  const PublicKey& public_key() const;
  std::optional<SignatureAlgorithm> signature_algorithm() const;
  Identity identity() const;

  // Checks this certificate's signature with `issuer`'s public key (GOST too).
  bool is_signed_by(const Certificate& issuer) const;
  bool same_as(const Certificate& other) const;

 private:
  struct Impl;
  explicit Certificate(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace qujat::pki
