package dev.kingsnake.internal.decode;

import dev.kingsnake.internal.decode.marshal.MarshalReader;
import dev.kingsnake.spi.facts.PythonApis;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.SeqKind;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The library functions and methods the {@link PayloadEvaluator} knows: each maps known argument values to a
 * result value, adding its step name to the trace when it decodes something.
 */
final class Decoders {
    private static final Set<String> B64 = PythonApis.BASE64_DECODE_CALLS;
    private static final Set<String> HEX = PythonApis.HEX_DECODE_CALLS;
    /**
     * Library callables evaluated below besides the catalogue's decoders: what decoders are written with (a key
     * cycle, a translation table, an encoder run backwards, Fernet, imports and code objects by name).
     */
    private static final Set<String> HELPERS = Set.of("codecs.encode", "marshal.loads", "cryptography.fernet.Fernet",
            "itertools.cycle", "str.maketrans", "bytes.maketrans", "importlib.import_module");

    private Decoders() {
    }

    /**
     * A library callable a star import may bring in by its bare name: a decoder of the catalogue (one this class
     * does not evaluate stays unknown when called) or a helper.
     */
    static boolean isKnown(String qualified) {
        return PythonApis.DECODE_CALLS.contains(qualified) || HELPERS.contains(qualified);
    }

    /**
     * Python's builtins {@link #builtin} gives a value (with arguments it knows); {@code DecodersHandlesTest} reads
     * the dispatch's names and keeps this list in step with it.
     */
    private static final Set<String> BUILTIN_NAMES = Set.of("__import__", "getattr", "compile", "chr", "ord", "int",
            "hex", "bytes", "bytearray", "str", "repr", "len", "list", "tuple", "reversed", "map", "zip", "enumerate",
            "range", "Fernet");

    /**
     * Whether {@link #builtin} may give {@code name} (normalised, without {@code builtins.}) a value: the
     * catalogue's decoders and the helpers ({@link #isKnown}), the builtins above, a cipher; every other call is
     * unknown whatever its arguments.
     */
    static boolean handles(String name) {
        return isKnown(name) || BUILTIN_NAMES.contains(name) || name.endsWith(".Fernet") || name.endsWith("AES.new")
                || name.endsWith("unpad");
    }

    static Value builtin(PayloadEvaluator ev, String name, List<Value> args, Map<String, Value> kw) {
        Value a0 = arg(args, kw, 0, "s");
        if (B64.contains(name)) {
            Value alt = arg(args, kw, 1, "altchars");
            if (alt instanceof Value.Data d && d.bytes().length == 2) {
                byte[] ab = d.bytes();
                return decode(ev, a0, "base64", (in, b) -> BaseN.b64(in, ab[0], ab[1], b));
            }
            return decode(ev, a0, "base64", BaseN::b64);
        }
        if (HEX.contains(name)) {
            return decode(ev, a0, "hex", BaseN::hex);
        }
        switch (name) {
            case "base64.urlsafe_b64decode":
                return decode(ev, a0, "base64", BaseN::b64Urlsafe);
            case "base64.b32decode":
                return decode(ev, a0, "base32", (in, b) -> BaseN.b32(in, isTrue(arg(args, kw, 1, "casefold")), b));
            case "base64.b16decode":
                return decode(ev, a0, "base16", (in, b) -> BaseN.b16(in, isTrue(arg(args, kw, 1, "casefold")), b));
            case "base64.b85decode":
                return decode(ev, a0, "base85", BaseN::b85);
            case "base64.a85decode":
                return decode(ev, a0, "ascii85", BaseN::a85);
            case "zlib.decompress": {
                Value w = arg(args, kw, 1, "wbits");
                int wbits = w instanceof Value.Int i ? (int) i.value() : 15;
                return decode(ev, a0, "zlib", (in, b) -> Decompression.zlib(in, wbits, b));
            }
            case "gzip.decompress":
                return decode(ev, a0, "gzip", Decompression::gzip);
            case "bz2.decompress":
                return decode(ev, a0, "bz2", Decompression::bz2);
            case "lzma.decompress":
                return decode(ev, a0, "lzma", Decompression::lzma);
            case "codecs.decode":
            case "codecs.encode": {
                Value enc = arg(args, kw, 1, "encoding");
                return enc instanceof Value.Str e ? codec(ev, a0, e.value(), name.endsWith("encode")) : null;
            }
            case "marshal.loads":
                return marshal(ev, a0);
            case "itertools.cycle": {
                List<Value> items = ev.iterate(a0);
                return items == null || items.isEmpty() ? null : new Value.Cycle(items);
            }
            case "str.maketrans":
            case "bytes.maketrans":
                return maketrans(args);
            case "__import__":
            case "importlib.import_module":
                return a0 instanceof Value.Str s ? new Value.Module(s.value()) : null;
            case "getattr": {
                Value attr = args.size() > 1 ? args.get(1) : null;
                if (!(attr instanceof Value.Str s)) {
                    return null;
                }
                if (a0 instanceof Value.Module m) {
                    return new Value.Builtin(m.name() + "." + s.value());
                }
                if (a0 instanceof Value.Builtin b) {
                    return new Value.Builtin(b.name() + "." + s.value());
                }
                return a0 == null ? null : new Value.Method(a0, s.value());
            }
            case "compile":
                return a0;
            case "chr": {
                Value c = folded(ev, name, args, kw, PayloadEvaluator.traceOf(a0));
                if (!(c instanceof Value.Str s)) {
                    return null;
                }
                Value.Trace t = s.trace();
                return new Value.Str(s.value(), t.chain().contains("chr") ? t : t.then("chr"));
            }
            case "ord", "int", "hex":
                return a0 instanceof Value.Int && name.equals("int") && args.size() == 1 ? a0
                        : folded(ev, name, args, kw, PayloadEvaluator.traceOf(a0));
            case "bytes":
            case "bytearray":
                return bytesOf(ev, name, args, kw);
            case "str":
            case "repr":
                if (a0 instanceof Value.Builtin b && args.size() == 1) {
                    // str(print)[i]: characters taken from the text of a builtin, the same on every CPython 3
                    return BuiltinText.of(PayloadEvaluator.normalise(b.name())).map(t -> (Value) new Value.Str(t,
                            Value.Trace.NONE)).orElse(null);
                }
                if (name.equals("repr")) {
                    return null;
                }
                return a0 instanceof Value.Str && args.size() == 1 ? a0
                        : folded(ev, name, args, kw, PayloadEvaluator.traceOf(a0));
            case "len": {
                if (a0 instanceof Value.Data) {
                    return folded(ev, name, args, kw, Value.Trace.NONE);
                }
                List<Value> items = ev.iterate(a0);
                return items == null ? null : new Value.Int(items.size(), Value.Trace.NONE);
            }
            case "list":
            case "tuple": {
                if (args.isEmpty() && kw.isEmpty()) {
                    return new Value.Seq(List.of(), Value.Trace.NONE);
                }
                List<Value> items = ev.iterate(a0);
                return items == null ? null : new Value.Seq(items, PayloadEvaluator.traceOf(a0));
            }
            case "reversed": {
                if (a0 instanceof Value.Str || a0 instanceof Value.Bytes || a0 instanceof Value.Seq) {
                    Value r = Slicing.reverse(a0);
                    return a0 instanceof Value.Seq ? r : r == null ? null : new Value.Seq(ev.iterate(r),
                            PayloadEvaluator.traceOf(r));
                }
                return null;
            }
            case "map":
                return map(ev, args);
            case "zip":
                return zip(ev, args);
            case "enumerate": {
                List<Value> items = ev.iterate(a0);
                if (items == null) {
                    return null;
                }
                List<Value> out = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    out.add(new Value.Seq(List.of(new Value.Int(i, Value.Trace.NONE), items.get(i)), Value.Trace.NONE));
                }
                return new Value.Seq(out, PayloadEvaluator.traceOf(a0));
            }
            case "range":
                return folded(ev, name, args, kw, Value.Trace.NONE);
            default:
                break;
        }
        if (name.endsWith(".Fernet") || name.equals("Fernet")) {
            return a0 instanceof Value.Data d ? new Value.FernetKey(d.bytes(), d.trace()) : null;
        }
        if (name.endsWith("AES.new")) {
            return aes(args, kw);
        }
        if (name.endsWith("unpad")) {
            return a0 instanceof Value.Bytes b ? ev.step(bound -> {
                Value size = arg(args, kw, 1, "block_size");
                byte[] out = Ciphers.unpad(b.value(), size instanceof Value.Int i ? (int) i.value() : 16);
                return new Value.Bytes(out, b.trace());
            }) : null;
        }
        return null;
    }

    static Value method(PayloadEvaluator ev, Value self, String name, List<Value> args, Map<String, Value> kw) {
        Value a0 = args.isEmpty() ? null : args.get(0);
        if (self instanceof Value.FernetKey k && name.equals("decrypt")) {
            return a0 instanceof Value.Data t ? ev.step(b -> new Value.Bytes(Ciphers.fernet(k.key(), t.bytes(), b),
                    t.trace().then("fernet"))) : null;
        }
        if (self instanceof Value.AesCipher c && (name.equals("decrypt") || name.equals("decrypt_and_verify"))) {
            return a0 instanceof Value.Bytes t ? ev.step(b -> new Value.Bytes(Ciphers.aes(c.key(), c.mode(), c.iv(),
                    t.value(), b), t.trace().then("aes-" + c.mode().name().toLowerCase(java.util.Locale.ROOT))))
                    : null;
        }
        if (self instanceof Value.Str s) {
            return strMethod(ev, s, name, args, kw);
        }
        if (self instanceof Value.Bytes b) {
            return bytesMethod(ev, b, name, args, kw);
        }
        if (self instanceof Value.Dict d && args.isEmpty()
                && (name.equals("items") || name.equals("keys") || name.equals("values"))) {
            List<Value> out = new ArrayList<>(d.entries().size());
            d.entries().forEach((k, v) -> out.add(name.equals("keys") ? k : name.equals("values") ? v
                    : new Value.Seq(List.of(k, v), Value.Trace.NONE)));
            return new Value.Seq(out, Value.Trace.NONE);
        }
        if (self instanceof Value.Dict d && name.equals("get") && a0 != null) {
            Value v = ev.lookup(d, a0);
            return v != null ? v : args.size() > 1 ? args.get(1) : new Value.NoneValue();
        }
        return null;
    }

    private static Value strMethod(PayloadEvaluator ev, Value.Str s, String name, List<Value> args,
                                   Map<String, Value> kw) {
        Value a0 = args.isEmpty() ? null : args.get(0);
        switch (name) {
            case "encode":
                if (a0 instanceof Value.Str enc && isRot13(enc.value())) {
                    return new Value.Str(TextTransforms.rot13(s.value()), s.trace().then("rot13"));
                }
                return foldedMethod(ev, s, name, args, kw, s.trace());
            case "decode": {
                // Python 2: "...".decode("base64" / "hex" / "zlib" / "rot13")
                Value enc = arg(args, kw, 0, "encoding");
                return enc instanceof Value.Str e ? codec(ev, s, e.value(), false) : s;
            }
            case "join":
                return join(ev, s, a0);
            case "replace":
                return foldedMethod(ev, s, name, args, kw, s.trace().then("replace"));
            case "translate":
                return a0 instanceof Value.Table t
                        ? new Value.Str(TextTransforms.translate(s.value(), t.table()), s.trace().then("translate"))
                        : null;
            default:
                return foldedMethod(ev, s, name, args, kw, s.trace());
        }
    }

    /** {@code sep.join(items)} on str or bytes: the parts' traces merge into the result's. */
    private static Value join(PayloadEvaluator ev, Value.Data sep, Value iterable) {
        List<Value> items = ev.iterate(iterable);
        if (items == null) {
            return null;
        }
        Value.Trace t = sep.trace().merge(PayloadEvaluator.traceOf(iterable));
        List<Const> parts = new ArrayList<>(items.size());
        for (Value item : items) {
            if (!(item instanceof Value.Data part)) {
                return null;
            }
            parts.add(ConstConversion.toConst(part));
            t = t.merge(part.trace());
        }
        Const out = ev.ops().join(ConstConversion.toConst(sep), new Const.Seq(SeqKind.LIST, parts));
        return ConstConversion.fromConst(out, t);
    }

    private static Value bytesMethod(PayloadEvaluator ev, Value.Bytes b, String name, List<Value> args,
                                     Map<String, Value> kw) {
        switch (name) {
            case "decode": {
                Value enc = arg(args, kw, 0, "encoding");
                if (enc instanceof Value.Str e && !isTextEncoding(e.value())) {
                    return codec(ev, b, e.value(), false);
                }
                return foldedMethod(ev, b, name, args, kw, b.trace());
            }
            case "join":
                return join(ev, b, args.isEmpty() ? null : args.get(0));
            case "replace":
                return foldedMethod(ev, b, name, args, kw, b.trace().then("replace"));
            default:
                return foldedMethod(ev, b, name, args, kw, b.trace());
        }
    }

    static boolean isTextEncoding(String enc) {
        String e = PayloadEvaluator.lower(enc);
        return e.startsWith("utf") || e.startsWith("latin") || e.equals("ascii") || e.startsWith("iso")
                || e.startsWith("cp") || e.equals("u8") || e.equals("8859");
    }

    private static boolean isRot13(String enc) {
        String e = PayloadEvaluator.lower(enc);
        return e.equals("rot13") || e.equals("rot_13");
    }

    /** {@code codecs.decode(x, enc)} / Python 2 {@code x.decode(enc)}: the bytes-to-bytes and rot13 codecs. */
    private static Value codec(PayloadEvaluator ev, Value in, String encoding, boolean encode) {
        String e = PayloadEvaluator.lower(encoding);
        if (isRot13(e)) {
            return in instanceof Value.Str s ? new Value.Str(TextTransforms.rot13(s.value()), s.trace().then("rot13"))
                    : null;
        }
        if (encode) {
            return null;
        }
        switch (e) {
            case "base64", "base_64", "base64_codec":
                return decode(ev, in, "base64", BaseN::b64);
            case "hex", "hex_codec":
                return decode(ev, in, "hex", BaseN::hex);
            case "zlib", "zip", "zlib_codec":
                return decode(ev, in, "zlib", (x, b) -> Decompression.zlib(x, 15, b));
            case "bz2", "bz2_codec":
                return decode(ev, in, "bz2", Decompression::bz2);
            case "uu", "uu_codec":
                return decode(ev, in, "uu", RareCodecs::uu);
            case "quopri", "quotedprintable", "quoted_printable", "quopri_codec":
                return decode(ev, in, "quopri", RareCodecs::quopri);
            case "punycode", "unicode_escape": {
                if (!(in instanceof Value.Data data)) {
                    return null;
                }
                byte[] raw = data instanceof Value.Str s ? s.latin1() : data.bytes();
                String step = e.equals("punycode") ? "punycode" : "unicode-escape";
                return ev.step(b -> {
                    String text = e.equals("punycode") ? RareCodecs.punycode(new String(raw, StandardCharsets.ISO_8859_1))
                            : RareCodecs.unicodeEscape(raw);
                    b.claim(text.length());
                    return new Value.Str(text, data.trace().then(step));
                });
            }
            default:
                break;
        }
        if (isTextEncoding(e)) {
            if (in instanceof Value.Bytes b) {
                return new Value.Str(PayloadEvaluator.text(b.value()), b.trace());
            }
            return in instanceof Value.Str ? in : null;
        }
        return null;
    }

    @FunctionalInterface
    private interface ByteDecoder {
        byte[] decode(byte[] in, OutputBound bound) throws DecodeException;
    }

    /** Applies a bytes decoder to a str (its characters as Latin-1) or bytes value, recording the step. */
    private static Value decode(PayloadEvaluator ev, Value in, String step, ByteDecoder d) {
        if (!(in instanceof Value.Data data)) {
            return null;
        }
        byte[] raw = data instanceof Value.Str s ? s.latin1() : data.bytes();
        return ev.step(b -> new Value.Bytes(d.decode(raw, b), data.trace().then(step)));
    }

    private static Value marshal(PayloadEvaluator ev, Value in) {
        if (!(in instanceof Value.Bytes b)) {
            return null;
        }
        Optional<MarshalReader.Read> r = ev.marshal(b.value());
        if (r.isEmpty()) {
            ev.step(x -> {
                throw DecodeException.invalid("marshal data of no supported Python version");
            });
            return null;
        }
        return new Value.Code(r.get().object(), r.get().format().versions(), b.trace().then("marshal"));
    }

    /** {@code bytes(x)}: a list of small ints becomes the int-list decoding step. */
    private static Value bytesOf(PayloadEvaluator ev, String name, List<Value> args, Map<String, Value> kw) {
        Value a0 = args.isEmpty() ? null : args.get(0);
        if (a0 instanceof Value.Bytes && args.size() == 1) {
            return a0;
        }
        if (a0 instanceof Value.Str || args.size() != 1) {
            return folded(ev, name, args, kw, PayloadEvaluator.traceOf(a0));
        }
        List<Value> items = ev.iterate(a0);
        if (items == null) {
            return null;
        }
        Value.Trace t = PayloadEvaluator.traceOf(a0);
        for (Value item : items) {
            t = t.merge(PayloadEvaluator.traceOf(item));
        }
        return folded(ev, name, List.of(new Value.Seq(items, t)), kw,
                t.chain().isEmpty() && t.origin().isPresent() ? t.then("int-list") : t);
    }

    private static Value maketrans(List<Value> args) {
        try {
            if (args.size() >= 2 && args.get(0) instanceof Value.Data a && args.get(1) instanceof Value.Data b) {
                String del = args.size() > 2 && args.get(2) instanceof Value.Data c ? latin(c) : "";
                return new Value.Table(TextTransforms.maketrans(latin(a), latin(b), del));
            }
        } catch (DecodeException e) {
            return null;
        }
        return null;
    }

    private static String latin(Value.Data d) {
        return d instanceof Value.Str s ? s.value() : new String(d.bytes(), StandardCharsets.ISO_8859_1);
    }

    private static Value map(PayloadEvaluator ev, List<Value> args) {
        return args.size() < 2 ? null : ev.map(args.get(0), args.subList(1, args.size()));
    }

    private static Value zip(PayloadEvaluator ev, List<Value> args) {
        List<List<Value>> lists = new ArrayList<>();
        int n = Integer.MAX_VALUE;
        Value.Trace t = Value.Trace.NONE;
        for (Value a : args) {
            if (a instanceof Value.Cycle c) {
                lists.add(c.items());
                continue;
            }
            List<Value> items = ev.iterate(a);
            if (items == null) {
                return null;
            }
            lists.add(items);
            n = Math.min(n, items.size());
            t = t.merge(PayloadEvaluator.traceOf(a));
        }
        if (n == Integer.MAX_VALUE) {
            return null;
        }
        List<Value> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Value> tuple = new ArrayList<>(lists.size());
            for (List<Value> l : lists) {
                tuple.add(l.get(i % l.size()));
            }
            out.add(new Value.Seq(tuple, Value.Trace.NONE));
        }
        return new Value.Seq(out, t);
    }

    private static Value aes(List<Value> args, Map<String, Value> kw) {
        Value key = arg(args, kw, 0, "key");
        Value mode = arg(args, kw, 1, "mode");
        Value iv = arg(args, kw, 2, "iv");
        if (iv == null) {
            iv = kw.get("nonce");
        }
        if (!(key instanceof Value.Data k) || !(mode instanceof Value.Int m)) {
            return null;
        }
        Optional<Ciphers.AesMode> am = Ciphers.AesMode.of((int) m.value());
        if (am.isEmpty()) {
            return null;
        }
        byte[] ivBytes = iv instanceof Value.Data d ? d.bytes() : new byte[0];
        if (iv == null && am.get() != Ciphers.AesMode.ECB) {
            return null;
        }
        return new Value.AesCipher(k.bytes(), am.get(), ivBytes, k.trace());
    }

    /** A builtin applied by constant folding's operations to plain-data arguments, carrying {@code trace}. */
    private static Value folded(PayloadEvaluator ev, String name, List<Value> args, Map<String, Value> kw,
                                Value.Trace trace) {
        List<Const> consts = ConstConversion.toConsts(args);
        Map<String, Const> kwConsts = constKeywords(kw);
        return consts == null || kwConsts == null ? null
                : ConstConversion.fromConst(ev.ops().builtin(name, consts, kwConsts), trace);
    }

    /** A str or bytes method applied by constant folding's operations, carrying {@code trace}. */
    private static Value foldedMethod(PayloadEvaluator ev, Value.Data self, String name, List<Value> args,
                                      Map<String, Value> kw, Value.Trace trace) {
        List<Const> consts = ConstConversion.toConsts(args);
        Map<String, Const> kwConsts = constKeywords(kw);
        return consts == null || kwConsts == null ? null : ConstConversion.fromConst(
                ev.ops().method(ConstConversion.toConst(self), name, consts, kwConsts), trace);
    }

    private static Map<String, Const> constKeywords(Map<String, Value> kw) {
        Map<String, Const> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Value> k : kw.entrySet()) {
            Const c = k.getValue() == null ? null : ConstConversion.toConst(k.getValue());
            if (c == null) {
                return null;
            }
            out.put(k.getKey(), c);
        }
        return out;
    }

    private static Value arg(List<Value> args, Map<String, Value> kw, int index, String name) {
        if (index < args.size()) {
            return args.get(index);
        }
        return kw.get(name);
    }

    private static boolean isTrue(Value v) {
        return Boolean.TRUE.equals(PayloadEvaluator.truthOf(v));
    }
}
