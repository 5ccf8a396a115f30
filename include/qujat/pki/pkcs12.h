// NCA key stores (PKCS#12: 3DES shrouded key bag with a KZ OID inside the
// PKCS#8, RC2-40 certificate bag).
#pragma once

#include <string>
#include <vector>

#include "qujat/pki/certificate.h"

namespace qujat::pki {

struct KeyStore {
  PrivateKey key;
  Certificate certificate;         // the certificate of `key`
  std::vector<Certificate> chain;  // other certificates in the file
};

// Throws qujat::Error with code "pkcs12.wrong_password" (MAC check failed),
// "pkcs12.not_pkcs12" (not a PKCS#12 file), "pkcs12.too_costly" (a MAC
// iteration count no key store uses, which would hash for minutes) or
// "pkcs12.no_key".
KeyStore load_pkcs12(const std::string& path, const std::string& password);
KeyStore load_pkcs12(ByteView der, const std::string& password);

}  // namespace qujat::pki
