// Just enough DER to reach what OpenSSL will not hand over for KZ algorithms:
// the exact signed bytes (TBS) of certificates, CRLs and OCSP responses, KZ
// public/private key encodings, and the structures the test PKI signs itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "qujat/common/bytes.h"
#include "qujat/common/time.h"

typedef struct asn1_string_st ASN1_TIME;

namespace qujat::pki::der {

struct Element {
  std::uint8_t tag = 0;
  ByteView content;  // value bytes
  ByteView whole;    // tag, length and value
};

// Reads one element from the front of `in` and advances it; nullopt on bad DER.
std::optional<Element> read(ByteView& in);
// The children of a constructed element, nullopt when any is malformed.
std::optional<std::vector<Element>> children(const Element& e);

Bytes tlv(std::uint8_t tag, ByteView content);
inline Bytes sequence(ByteView content) { return tlv(0x30, content); }
Bytes oid(std::string_view dotted);  // tag 06 included
Bytes octet_string(ByteView content);
Bytes bit_string(ByteView content);  // no unused bits
Bytes concat(std::initializer_list<ByteView> parts);
std::string oid_text(ByteView content);  // dotted form of an OID's value bytes

Instant instant_from_asn1(const ASN1_TIME* t);  // epoch when absent

}  // namespace qujat::pki::der
