#include "pki/der.h"

#include <openssl/asn1.h>
#include <openssl/objects.h>

#include "pki/openssl_memory.h"
#include "qujat/common/error.h"
#include "qujat/common/memory.h"

namespace qujat::pki::der {

std::optional<Element> read(ByteView& in) {
  if (in.size() < 2) return std::nullopt;
  const std::uint8_t tag = in[0];
  if ((tag & 0x1F) == 0x1F) return std::nullopt;  // multi-byte tags never occur here
  std::size_t pos = 1;
  std::size_t len = in[pos++];
  if (len & 0x80) {
    const std::size_t count = len & 0x7F;
    if (count == 0 || count > 4 || pos + count > in.size()) return std::nullopt;
    len = 0;
    for (std::size_t i = 0; i < count; ++i) len = (len << 8) | in[pos++];
  }
  if (len > in.size() - pos) return std::nullopt;
  Element e{tag, in.subspan(pos, len), in.first(pos + len)};
  in = in.subspan(pos + len);
  return e;
}

std::optional<std::vector<Element>> children(const Element& e) {
  std::vector<Element> out;
  ByteView rest = e.content;
  while (!rest.empty()) {
    auto child = read(rest);
    if (!child) return std::nullopt;
    out.push_back(*child);
  }
  return out;
}

Bytes tlv(std::uint8_t tag, ByteView content) {
  Bytes out{tag};
  const std::size_t len = content.size();
  if (len < 0x80) {
    out.push_back(static_cast<std::uint8_t>(len));
  } else {
    Bytes lb;
    for (std::size_t l = len; l != 0; l >>= 8) lb.insert(lb.begin(), static_cast<std::uint8_t>(l & 0xFF));
    out.push_back(static_cast<std::uint8_t>(0x80 | lb.size()));
    out.insert(out.end(), lb.begin(), lb.end());
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

Bytes oid(std::string_view dotted) {
  const std::string text(dotted);
  auto obj = make_unique_ptr<ASN1_OBJECT_free>(OBJ_txt2obj(text.c_str(), 1));
  if (!obj) throw OpenSslError("pki.der", "bad OID " + text);
  Bytes out = i2d_bytes([&](unsigned char** b) { return i2d_ASN1_OBJECT(obj.get(), b); });
  if (out.empty()) throw OpenSslError("pki.der", "cannot encode OID " + text);
  return out;
}

Bytes octet_string(ByteView content) { return tlv(0x04, content); }

Bytes bit_string(ByteView content) {
  Bytes v{0};
  v.insert(v.end(), content.begin(), content.end());
  return tlv(0x03, v);
}

Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::string oid_text(ByteView content) {
  const Bytes whole = tlv(0x06, content);
  const unsigned char* p = whole.data();
  auto obj = make_unique_ptr<ASN1_OBJECT_free>(d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(whole.size())));
  if (!obj) {
    clear_openssl_errors();
    return {};
  }
  char buf[128];
  OBJ_obj2txt(buf, sizeof buf, obj.get(), 1);
  return buf;
}

Instant instant_from_asn1(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return Instant{};
  using namespace std::chrono;
  const year_month_day ymd{year{tm.tm_year + 1900}, month{static_cast<unsigned>(tm.tm_mon + 1)},
                           day{static_cast<unsigned>(tm.tm_mday)}};
  return sys_days{ymd} + hours{tm.tm_hour} + minutes{tm.tm_min} + seconds{tm.tm_sec};
}

}  // namespace qujat::pki::der
