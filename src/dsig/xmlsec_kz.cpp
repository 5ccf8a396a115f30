#include "dsig/xmlsec_kz.h"

#include <xmlsec/errors.h>
#include <xmlsec/keysdata.h>
#include <xmlsec/xmlsec.h>

#include <cstring>
#include <mutex>
#include <new>
#include <optional>

#include "qujat/common/error.h"
#include "qujat/pki/digest.h"
#include "xml/libxml.h"

namespace qujat::dsig::kz {

namespace {

thread_local ErrorCapture* current_capture = nullptr;

// ---- key data: a pki::PublicKey inside an xmlsec key --------------------

struct KeyValue {
  std::optional<pki::PublicKey> public_key;
  const pki::PrivateKey* private_key = nullptr;  // borrowed from the caller's KeyStore
};

KeyValue*& key_value_slot(xmlSecKeyDataPtr data) {
  return *reinterpret_cast<KeyValue**>(reinterpret_cast<xmlSecByte*>(data) + sizeof(xmlSecKeyData));
}

int key_initialize(xmlSecKeyDataPtr data) {
  key_value_slot(data) = new (std::nothrow) KeyValue();
  return key_value_slot(data) == nullptr ? -1 : 0;
}

int key_duplicate(xmlSecKeyDataPtr dst, xmlSecKeyDataPtr src) {
  *key_value_slot(dst) = *key_value_slot(src);
  return 0;
}

void key_finalize(xmlSecKeyDataPtr data) {
  delete key_value_slot(data);
  key_value_slot(data) = nullptr;
}

xmlSecKeyDataType key_type(xmlSecKeyDataPtr data) {
  const auto& v = *key_value_slot(data);
  xmlSecKeyDataType type = xmlSecKeyDataTypeUnknown;
  if (v.public_key) type |= xmlSecKeyDataTypePublic;
  if (v.private_key != nullptr) type |= xmlSecKeyDataTypePrivate;
  return type;
}

xmlSecSize key_size(xmlSecKeyDataPtr data) {
  const auto& v = *key_value_slot(data);
  return v.public_key ? static_cast<xmlSecSize>(v.public_key->bits()) : 0;
}

xmlSecKeyDataKlass key_klass = {
    sizeof(xmlSecKeyDataKlass),
    sizeof(xmlSecKeyData) + sizeof(KeyValue*),
    BAD_CAST "qujat-pki-key",
    xmlSecKeyDataUsageUnknown,  // never read from KeyInfo by xmlsec: we pick the certificate ourselves
    nullptr, nullptr, nullptr,
    key_initialize, key_duplicate, key_finalize, nullptr,
    key_type, key_size, nullptr,
    nullptr, nullptr, nullptr, nullptr,
    nullptr, nullptr,
    nullptr, nullptr};

// ---- transforms: digests and signatures computed by pki ------------------

struct TransformState {
  bool is_signature = false;
  pki::SignatureAlgorithm signature{};
  pki::DigestAlgorithm digest_algorithm{};
  std::optional<pki::Digest> digest;
  Bytes result;  // digest value after the last chunk
  const pki::PublicKey* key = nullptr;  // owned by the xmlsec key, which outlives the transform
  const pki::PrivateKey* private_key = nullptr;
};

TransformState*& state_slot(xmlSecTransformPtr t) {
  return *reinterpret_cast<TransformState**>(reinterpret_cast<xmlSecByte*>(t) + sizeof(xmlSecTransform));
}

struct KlassInfo {
  bool is_signature;
  pki::SignatureAlgorithm signature;
  pki::DigestAlgorithm digest;
};

std::optional<KlassInfo> info_of(xmlSecTransformId id);

int transform_initialize(xmlSecTransformPtr t) {
  auto info = info_of(t->id);
  if (!info) return -1;
  auto* s = new (std::nothrow) TransformState();
  if (s == nullptr) return -1;
  s->is_signature = info->is_signature;
  s->signature = info->signature;
  s->digest_algorithm = info->is_signature ? pki::digest_of(info->signature) : info->digest;
  state_slot(t) = s;
  return 0;
}

void transform_finalize(xmlSecTransformPtr t) {
  delete state_slot(t);
  state_slot(t) = nullptr;
}

int signature_set_key_req(xmlSecTransformPtr t, xmlSecKeyReqPtr req) {
  req->keyId = &key_klass;
  req->keyType = t->operation == xmlSecTransformOperationSign ? xmlSecKeyDataTypePrivate : xmlSecKeyDataTypePublic;
  req->keyUsage = t->operation == xmlSecTransformOperationSign ? xmlSecKeyUsageSign : xmlSecKeyUsageVerify;
  return 0;
}

int signature_set_key(xmlSecTransformPtr t, xmlSecKeyPtr key) {
  xmlSecKeyDataPtr value = xmlSecKeyGetValue(key);
  if (value == nullptr || value->id != &key_klass) return -1;
  auto* kv = key_value_slot(value);
  if (t->operation == xmlSecTransformOperationSign) {
    if (kv->private_key == nullptr) return -1;
    state_slot(t)->private_key = kv->private_key;
    return 0;
  }
  if (!kv->public_key) return -1;
  state_slot(t)->key = &*kv->public_key;
  return 0;
}

int transform_execute(xmlSecTransformPtr t, int last, xmlSecTransformCtxPtr) {
  auto& s = *state_slot(t);
  if (t->status == xmlSecTransformStatusNone) {
    try {
      s.digest.emplace(s.digest_algorithm);
    } catch (const std::exception& e) {
      xmlSecError(XMLSEC_ERRORS_HERE, reinterpret_cast<const char*>(t->id->name), "digest", XMLSEC_ERRORS_R_INVALID_OPERATION,
                  "%s", e.what());
      return -1;
    }
    t->status = xmlSecTransformStatusWorking;
  }
  if (t->status == xmlSecTransformStatusWorking) {
    xmlSecSize size = xmlSecBufferGetSize(&t->inBuf);
    if (size > 0) {
      s.digest->update(ByteView(xmlSecBufferGetData(&t->inBuf), size));
      if (xmlSecBufferRemoveHead(&t->inBuf, size) < 0) return -1;
    }
    if (last != 0) {
      s.result = s.digest->finish();
      Bytes out = s.result;
      if (s.is_signature && t->operation == xmlSecTransformOperationSign) {
        if (s.private_key == nullptr) return -1;
        try {
          out = s.private_key->sign_digest(s.signature, s.result);
        } catch (const std::exception& e) {
          xmlSecError(XMLSEC_ERRORS_HERE, reinterpret_cast<const char*>(t->id->name), "sign",
                      XMLSEC_ERRORS_R_INVALID_OPERATION, "%s", e.what());
          return -1;
        }
      } else if (s.is_signature) {
        out.clear();  // verification compares in transform_verify
      }
      if (!out.empty() && xmlSecBufferAppend(&t->outBuf, out.data(), static_cast<xmlSecSize>(out.size())) < 0) return -1;
      t->status = xmlSecTransformStatusFinished;
    }
  }
  return 0;
}

int transform_verify(xmlSecTransformPtr t, const xmlSecByte* data, xmlSecSize size, xmlSecTransformCtxPtr) {
  auto& s = *state_slot(t);
  if (t->status != xmlSecTransformStatusFinished) return -1;
  bool ok = false;
  if (s.is_signature) {
    if (s.key == nullptr) return -1;
    try {
      ok = s.key->verify_digest(s.signature, s.result, ByteView(data, size));
    } catch (const std::exception& e) {
      xmlSecError(XMLSEC_ERRORS_HERE, reinterpret_cast<const char*>(t->id->name), "verify", XMLSEC_ERRORS_R_INVALID_OPERATION,
                  "%s", e.what());
      return -1;
    }
  } else {
    ok = size == s.result.size() && std::memcmp(data, s.result.data(), size) == 0;
  }
  t->status = ok ? xmlSecTransformStatusOk : xmlSecTransformStatusFail;
  return 0;
}

xmlSecTransformKlass make_digest_klass(const char* name, const char* href) {
  return {sizeof(xmlSecTransformKlass),
          sizeof(xmlSecTransform) + sizeof(TransformState*),
          BAD_CAST name,
          BAD_CAST href,
          xmlSecTransformUsageDigestMethod,
          transform_initialize,
          transform_finalize,
          nullptr,
          nullptr,
          nullptr,
          nullptr,
          transform_verify,
          xmlSecTransformDefaultGetDataType,
          xmlSecTransformDefaultPushBin,
          xmlSecTransformDefaultPopBin,
          nullptr,
          nullptr,
          transform_execute,
          nullptr,
          nullptr};
}

xmlSecTransformKlass make_signature_klass(const char* name, const char* href) {
  return {sizeof(xmlSecTransformKlass),
          sizeof(xmlSecTransform) + sizeof(TransformState*),
          BAD_CAST name,
          BAD_CAST href,
          xmlSecTransformUsageSignatureMethod,
          transform_initialize,
          transform_finalize,
          nullptr,
          nullptr,
          signature_set_key_req,
          signature_set_key,
          transform_verify,
          xmlSecTransformDefaultGetDataType,
          xmlSecTransformDefaultPushBin,
          xmlSecTransformDefaultPopBin,
          nullptr,
          nullptr,
          transform_execute,
          nullptr,
          nullptr};
}

// URIs from KZ-PKI.md (NCALayer/Kalkan) and the W3C.
xmlSecTransformKlass streebog512_klass = make_digest_klass(
    "kz-gostr34112015-512", "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512");
xmlSecTransformKlass streebog256_klass = make_digest_klass(
    "kz-gostr34112015-256", "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-256");
xmlSecTransformKlass sha256_klass = make_digest_klass("kz-sha256", "http://www.w3.org/2001/04/xmlenc#sha256");
xmlSecTransformKlass sha1_klass = make_digest_klass("kz-sha1", "http://www.w3.org/2000/09/xmldsig#sha1");
// Legacy NCA keys (GOST 34.310-2004 with GOST 34.311-95), as NCALayer wrote them.
xmlSecTransformKlass gost34311_klass =
    make_digest_klass("kz-gost34311", "http://www.w3.org/2001/04/xmldsig-more#gost34311");
xmlSecTransformKlass gost512_klass = make_signature_klass(
    "kz-gostr34102015-gostr34112015-512",
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512");
xmlSecTransformKlass gost256_klass = make_signature_klass(
    "kz-gostr34102015-gostr34112015-256",
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-256");
xmlSecTransformKlass rsa_sha256_klass =
    make_signature_klass("kz-rsa-sha256", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
xmlSecTransformKlass rsa_sha1_klass = make_signature_klass("kz-rsa-sha1", "http://www.w3.org/2000/09/xmldsig#rsa-sha1");
xmlSecTransformKlass gost2004_klass =
    make_signature_klass("kz-gost34310-gost34311", "http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311");

std::optional<KlassInfo> info_of(xmlSecTransformId id) {
  using pki::DigestAlgorithm;
  using pki::SignatureAlgorithm;
  if (id == &streebog512_klass) return KlassInfo{false, {}, DigestAlgorithm::Streebog512};
  if (id == &streebog256_klass) return KlassInfo{false, {}, DigestAlgorithm::Streebog256};
  if (id == &sha256_klass) return KlassInfo{false, {}, DigestAlgorithm::Sha256};
  if (id == &sha1_klass) return KlassInfo{false, {}, DigestAlgorithm::Sha1};
  if (id == &gost34311_klass) return KlassInfo{false, {}, DigestAlgorithm::Gost34311_95};
  if (id == &gost512_klass) return KlassInfo{true, SignatureAlgorithm::Gost2015_512, {}};
  if (id == &gost256_klass) return KlassInfo{true, SignatureAlgorithm::Gost2015_256, {}};
  if (id == &rsa_sha256_klass) return KlassInfo{true, SignatureAlgorithm::RsaSha256, {}};
  if (id == &rsa_sha1_klass) return KlassInfo{true, SignatureAlgorithm::RsaSha1, {}};
  if (id == &gost2004_klass) return KlassInfo{true, SignatureAlgorithm::Gost2004, {}};
  return std::nullopt;
}

const std::vector<xmlSecTransformId>& our_digests() {
  static const std::vector<xmlSecTransformId> v = {&streebog512_klass, &streebog256_klass, &sha256_klass, &sha1_klass,
                                                   &gost34311_klass};
  return v;
}
const std::vector<xmlSecTransformId>& our_signatures() {
  static const std::vector<xmlSecTransformId> v = {&gost512_klass, &gost256_klass, &rsa_sha256_klass, &rsa_sha1_klass,
                                                   &gost2004_klass};
  return v;
}

void on_xmlsec_error(const char*, int, const char* func, const char* object, const char* subject, int reason,
                     const char* msg) {
  if (current_capture == nullptr) return;
  (void)reason;
  std::string m;
  if (func != nullptr) m += func;
  if (object != nullptr && std::strcmp(object, "unknown") != 0) m += std::string(" (") + object + ")";
  if (subject != nullptr && std::strcmp(subject, "unknown") != 0) m += std::string(" ") + subject;
  if (msg != nullptr && *msg != '\0') m += std::string(": ") + msg;
  current_capture->add(std::move(m));
}

}  // namespace

ErrorCapture::ErrorCapture() : previous_(current_capture) { current_capture = this; }
ErrorCapture::~ErrorCapture() { current_capture = previous_; }

void ensure_xmlsec() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    xml::ensure_libxml();
    xmlSecErrorsSetCallback(on_xmlsec_error);
    if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1) return;
    if (xmlSecKeyDataIdsRegister(&key_klass) < 0) return;
    for (auto id : our_digests())
      if (xmlSecTransformIdsRegister(id) < 0) return;
    for (auto id : our_signatures())
      if (xmlSecTransformIdsRegister(id) < 0) return;
    ok = true;
  });
  if (!ok) throw Error("dsig.xmlsec", "xmlsec could not be initialised");
}

UniquePtr<xmlSecKey, xmlSecKeyDestroy> make_verify_key(const pki::PublicKey& key) {
  ensure_xmlsec();
  auto data = make_unique_ptr<xmlSecKeyDataDestroy>(xmlSecKeyDataCreate(&key_klass));
  if (!data) throw Error("dsig.xmlsec", "cannot create an xmlsec key");
  key_value_slot(data.get())->public_key = key;
  auto k = make_unique_ptr<xmlSecKeyDestroy>(xmlSecKeyCreate());
  if (!k || xmlSecKeySetValue(k.get(), data.get()) < 0) throw Error("dsig.xmlsec", "cannot create an xmlsec key");
  data.release();  // the key owns its value now
  return k;
}

UniquePtr<xmlSecKey, xmlSecKeyDestroy> make_sign_key(const pki::PrivateKey& key) {
  ensure_xmlsec();
  auto data = make_unique_ptr<xmlSecKeyDataDestroy>(xmlSecKeyDataCreate(&key_klass));
  if (!data) throw Error("dsig.xmlsec", "cannot create an xmlsec key");
  key_value_slot(data.get())->private_key = &key;
  key_value_slot(data.get())->public_key = key.public_key();
  auto k = make_unique_ptr<xmlSecKeyDestroy>(xmlSecKeyCreate());
  if (!k || xmlSecKeySetValue(k.get(), data.get()) < 0) throw Error("dsig.xmlsec", "cannot create an xmlsec key");
  data.release();
  return k;
}

xmlSecTransformId signature_klass(pki::SignatureAlgorithm algorithm) {
  ensure_xmlsec();
  for (auto id : our_signatures())
    if (info_of(id)->signature == algorithm) return id;
  throw Error("dsig.unsupported", "no xmlsec klass for signature algorithm " + std::string(pki::name(algorithm)));
}

xmlSecTransformId digest_klass(pki::DigestAlgorithm algorithm) {
  ensure_xmlsec();
  for (auto id : our_digests())
    if (info_of(id)->digest == algorithm) return id;
  throw Error("dsig.unsupported", "no xmlsec klass for this digest algorithm");
}

void restrict_context(xmlSecDSigCtx& ctx) {
  ensure_xmlsec();
  const xmlSecTransformId c14n[] = {xmlSecTransformInclC14NId, xmlSecTransformInclC14NWithCommentsId,
                                    xmlSecTransformExclC14NId, xmlSecTransformExclC14NWithCommentsId};
  for (auto id : c14n) {
    xmlSecDSigCtxEnableSignatureTransform(&ctx, id);
    xmlSecDSigCtxEnableReferenceTransform(&ctx, id);
  }
  xmlSecDSigCtxEnableReferenceTransform(&ctx, xmlSecTransformEnvelopedId);
  for (auto id : our_digests()) xmlSecDSigCtxEnableReferenceTransform(&ctx, id);
  for (auto id : our_signatures()) xmlSecDSigCtxEnableSignatureTransform(&ctx, id);
  ctx.enabledReferenceUris = xmlSecTransformUriTypeEmpty | xmlSecTransformUriTypeSameDocument;
  ctx.flags |= XMLSEC_DSIG_FLAGS_STORE_SIGNEDINFO_REFERENCES | XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
  // KeyInfo is never interpreted by xmlsec (we set signKey from the certificate we checked).
  ctx.keyInfoReadCtx.maxRetrievalMethodLevel = 0;
}

}  // namespace qujat::dsig::kz
