// Owners for what OpenSSL allocates without a plain free function to name as
// a deleter: buffers (OPENSSL_free is a macro) and stacks that own their
// elements. They go into qujat::UniquePtr / make_unique_ptr like X509_free.
#pragma once

#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include <optional>

#include "qujat/common/bytes.h"
#include "qujat/common/memory.h"

namespace qujat::pki {

inline void free_openssl(void* p) { OPENSSL_free(p); }
inline void free_safebags(STACK_OF(PKCS12_SAFEBAG) * bags) { sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free); }
inline void free_pkcs7s(STACK_OF(PKCS7) * list) { sk_PKCS7_pop_free(list, PKCS7_free); }

// The DER an i2d_* call writes into a buffer it allocates itself (`encode`
// gets the buffer's address); empty when encoding fails.
template <class Encode>
Bytes i2d_bytes(Encode encode) {
  unsigned char* raw = nullptr;
  const int len = encode(&raw);
  const auto buf = make_unique_ptr<free_openssl>(raw);
  if (len <= 0 || buf == nullptr) return {};
  return Bytes(buf.get(), buf.get() + len);
}

// One block of a PEM file, as PEM_read_bio allocates it.
struct PemBlock {
  UniquePtr<char, free_openssl> name;  // "CERTIFICATE", "X509 CRL", ...
  UniquePtr<char, free_openssl> header;
  UniquePtr<unsigned char, free_openssl> data;
  long length = 0;

  ByteView der() const { return ByteView(data.get(), static_cast<std::size_t>(length)); }
};

// The next block of `bio`; nullopt at the end of the input or on malformed PEM.
inline std::optional<PemBlock> next_pem_block(BIO* bio) {
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long length = 0;
  if (PEM_read_bio(bio, &name, &header, &data, &length) != 1) return std::nullopt;
  PemBlock block;
  block.name.reset(name);
  block.header.reset(header);
  block.data.reset(data);
  block.length = length;
  return block;
}

}  // namespace qujat::pki
