/*
 * pace-card: an APDU-level PACE card on Debian's libeac (OpenPACE), for the reader's tests.
 *
 * It is the card side of PACE-ECDH-GM-AES (BSI TR-03110-3 B.1, ICAO 9303-11 4.4) with every cryptographic step
 * done by libeac, so it checks the reader's own PACE independently of the simulator's C# card. It speaks
 * vsmartcard's vpcd protocol as the card (vicc) side: it connects over TCP to the reader's bridge slot, frames
 * are a 2-byte big-endian length then the payload; a 1-byte payload is a control (0 power off, 1 power on,
 * 2 reset, 4 get ATR: answered with the ATR), anything longer is a command APDU answered with its response.
 *
 * Card contents: EF.CardAccess 011C (SFI 1C) readable in plain; EF 0101 (SFI 01) readable only under secure
 * messaging after PACE. Passwords: PIN (reference 3) with a retry counter, CAN (reference 2).
 * Status words are those of the simulator's PaceCardApplication (see its remarks): MSE:Set AT 9000 / 63Cx,
 * General Authenticate 6985 out of order, 6883/6884 chaining, 6A80 malformed, 6983 blocked, wrong token 63Cx
 * (PIN) or 6300 (CAN); SM: 6987 missing MAC, 6988 bad MAC/padding (channel ends).
 *
 * Usage: pace-card --port N [--host 127.0.0.1] [--pin 123456] [--can 500540] [--tries 3] [--curve 13]
 *                  [--aes 128|192|256] [--tamper-response N]   (flip a MAC bit in the N-th protected response)
 * Test card only: no secret is protected beyond being wiped when a session ends.
 */
#include <arpa/inet.h>
#include <eac/eac.h>
#include <eac/pace.h>
#include <netinet/in.h>
#include <openssl/buffer.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char protected_text[] = "PROTECTED FILE OF THE LIBEAC PACE CARD: read only under secure messaging";
static unsigned char card_access[64];
static size_t card_access_len;
static const char *pin = "123456", *can = "500540";
static int max_tries = 3, tries = 3, tamper_at = -1, protected_responses;

/* Session state: lost on power off and reset. */
static EAC_CTX *ctx;
static PACE_SEC *sec;
static int step;          /* 0 idle, 1..4 next General Authenticate step */
static int password;      /* 2 CAN, 3 PIN */
static int sm_open;
static BUF_MEM *my_eph, *peer_eph;
static int current_ef;    /* 0 none, else FID */

static void end_session(void)
{
    if (ctx) { EAC_CTX_clear_free(ctx); ctx = NULL; }
    if (sec) { PACE_SEC_clear_free(sec); sec = NULL; }
    if (my_eph) { BUF_MEM_free(my_eph); my_eph = NULL; }
    if (peer_eph) { BUF_MEM_free(peer_eph); peer_eph = NULL; }
    step = 0;
    sm_open = 0;
}

static BUF_MEM *bm(const unsigned char *p, size_t n)
{
    BUF_MEM *b = BUF_MEM_new();
    if (!b || !BUF_MEM_grow(b, n)) { BUF_MEM_free(b); return NULL; }
    if (n) { memcpy(b->data, p, n); }
    b->length = n;
    return b;
}

static size_t put_len(unsigned char *o, size_t n)
{
    if (n < 0x80) { o[0] = (unsigned char)n; return 1; }
    if (n < 0x100) { o[0] = 0x81; o[1] = (unsigned char)n; return 2; }
    o[0] = 0x82; o[1] = (unsigned char)(n >> 8); o[2] = (unsigned char)n; return 3;
}

/* BER length at *p, -1 when malformed. */
static long get_len(const unsigned char *b, size_t end, size_t *p)
{
    if (*p >= end) { return -1; }
    unsigned c = b[(*p)++];
    if (c < 0x80) { return c; }
    if (c == 0x81 && *p < end) { return b[(*p)++]; }
    if (c == 0x82 && *p + 1 < end) { long l = (b[*p] << 8) | b[*p + 1]; *p += 2; return l; }
    return -1;
}

/* Finds the one-byte tag t among the TLVs of b[off, end); its value offset and length, or -1. */
static long find_tlv(const unsigned char *b, size_t off, size_t end, int t, size_t *value)
{
    size_t p = off;
    while (p < end) {
        int tag = b[p++];
        if ((tag & 0x1F) == 0x1F) { if (p >= end) { return -1; } tag = (tag << 8) | b[p++]; }
        long l = get_len(b, end, &p);
        if (l < 0 || (size_t)l > end - p) { return -1; }
        if (tag == t) { *value = p; return l; }
        p += (size_t)l;
    }
    return -1;
}

static size_t sw(unsigned char *r, size_t n, int s) { r[n] = (unsigned char)(s >> 8); r[n + 1] = (unsigned char)s; return n + 2; }

/* 7C { tag value } 9000 */
static size_t dynamic(unsigned char *r, int tag, const BUF_MEM *v)
{
    unsigned char inner[300];
    size_t n = 0;
    inner[n++] = (unsigned char)tag;
    n += put_len(inner + n, v->length);
    memcpy(inner + n, v->data, v->length);
    n += v->length;
    size_t o = 0;
    r[o++] = 0x7C;
    o += put_len(r + o, n);
    memcpy(r + o, inner, n);
    return sw(r, o + n, 0x9000);
}

static size_t mse_set_at(const unsigned char *d, size_t lc, unsigned char *r)
{
    size_t v;
    end_session();
    long ol = find_tlv(d, 0, lc, 0x80, &v);
    size_t oid_at = v;
    long rl = find_tlv(d, 0, lc, 0x83, &v);
    if (ol != 10 || rl != 1 || memcmp(d + oid_at, card_access + 6, 10) != 0) { return sw(r, 0, 0x6A80); }
    password = d[v];
    if (password != 2 && password != 3) { return sw(r, 0, 0x6A88); }
    ctx = EAC_CTX_new();
    if (!ctx || !EAC_CTX_init_ef_cardaccess(card_access, card_access_len, ctx)) { end_session(); return sw(r, 0, 0x6F00); }
    const char *s = password == 3 ? pin : can;
    sec = PACE_SEC_new(s, strlen(s), password == 3 ? PACE_PIN : PACE_CAN);
    if (!sec) { end_session(); return sw(r, 0, 0x6F00); }
    step = 1;
    if (password == 3 && tries < max_tries) { return sw(r, 0, 0x63C0 | tries); }
    return sw(r, 0, 0x9000);
}

static size_t general_authenticate(unsigned char cla, const unsigned char *d, size_t lc, unsigned char *r)
{
    int chained = (cla & 0x10) != 0;
    if (step == 0) { return sw(r, 0, 0x6985); }
    if (step < 4 && !chained) { return sw(r, 0, 0x6884); }
    if (step == 4 && chained) { return sw(r, 0, 0x6883); }
    size_t p = 1;
    long outer;
    if (lc < 2 || d[0] != 0x7C || (outer = get_len(d, lc, &p)) < 0 || p + (size_t)outer != lc) { return sw(r, 0, 0x6A80); }
    size_t v = 0;
    BUF_MEM *in = NULL, *out = NULL;
    size_t n = 0;
    switch (step) {
    case 1:
        if (outer != 0) { return sw(r, 0, 0x6A80); }
        if (password == 3 && tries == 0) { return sw(r, 0, 0x6983); }
        out = PACE_STEP1_enc_nonce(ctx, sec);
        if (!out) { return sw(r, 0, 0x6F00); }
        n = dynamic(r, 0x80, out);
        step = 2;
        break;
    case 2: {
        long l = find_tlv(d, p, lc, 0x81, &v);
        if (l <= 0) { return sw(r, 0, 0x6A80); }
        in = bm(d + v, (size_t)l);
        out = PACE_STEP3A_generate_mapping_data(ctx);
        if (!out || !PACE_STEP3A_map_generator(ctx, in)) { BUF_MEM_free(in); BUF_MEM_free(out); return sw(r, 0, 0x6A80); }
        n = dynamic(r, 0x82, out);
        step = 3;
        break;
    }
    case 3: {
        long l = find_tlv(d, p, lc, 0x83, &v);
        if (l <= 0) { return sw(r, 0, 0x6A80); }
        peer_eph = bm(d + v, (size_t)l);
        my_eph = PACE_STEP3B_generate_ephemeral_key(ctx);
        if (!my_eph || (my_eph->length == peer_eph->length && memcmp(my_eph->data, peer_eph->data, my_eph->length) == 0)
            || !PACE_STEP3B_compute_shared_secret(ctx, peer_eph) || !PACE_STEP3C_derive_keys(ctx)) {
            return sw(r, 0, 0x6A80);
        }
        n = dynamic(r, 0x84, my_eph);
        step = 4;
        break;
    }
    default: {
        long l = find_tlv(d, p, lc, 0x85, &v);
        if (l != 8) { return sw(r, 0, 0x6A80); }
        in = bm(d + v, 8);
        if (PACE_STEP3D_verify_authentication_token(ctx, in) != 1) {
            BUF_MEM_free(in);
            if (password == 3) {
                if (tries > 0) { tries--; }
                return sw(r, 0, 0x63C0 | tries);
            }
            return sw(r, 0, 0x6300);
        }
        out = PACE_STEP3D_compute_authentication_token(ctx, peer_eph);
        if (!out || !EAC_CTX_set_encryption_ctx(ctx, EAC_ID_PACE)) { BUF_MEM_free(in); BUF_MEM_free(out); return sw(r, 0, 0x6F00); }
        if (password == 3) { tries = max_tries; }
        PACE_SEC_clear_free(sec);
        sec = NULL;
        n = dynamic(r, 0x86, out);
        step = 0;
        sm_open = 1;
        break;
    }
    }
    BUF_MEM_free(in);
    BUF_MEM_free(out);
    return n;
}

/* The plain file system behind SM (secure = the command came under SM). Returns the response length. */
static size_t files(unsigned char ins, unsigned char p1, unsigned char p2, const unsigned char *d, size_t lc, long ne,
                    int secure, unsigned char *r)
{
    if (ins == 0xA4) {
        if (lc == 2 && (p1 == 0x00 || p1 == 0x02)) {
            int fid = (d[0] << 8) | d[1];
            if (fid == 0x011C || fid == 0x0101) { current_ef = fid; return sw(r, 0, 0x9000); }
            if (fid == 0x3F00) { current_ef = 0; return sw(r, 0, 0x9000); }
            return sw(r, 0, 0x6A82);
        }
        if (p1 == 0x00 && lc == 0) { current_ef = 0; return sw(r, 0, 0x9000); }
        return sw(r, 0, 0x6A86);
    }
    if (ins == 0xB0) {
        size_t off;
        if (p1 & 0x80) {
            int sfi = p1 & 0x1F;
            if (sfi == 0x1C) { current_ef = 0x011C; } else if (sfi == 0x01) { current_ef = 0x0101; } else { return sw(r, 0, 0x6A82); }
            off = p2;
        } else {
            off = ((size_t)(p1 & 0x7F) << 8) | p2;
        }
        if (current_ef == 0) { return sw(r, 0, 0x6986); }
        const unsigned char *content = current_ef == 0x011C ? card_access : (const unsigned char *)protected_text;
        size_t size = current_ef == 0x011C ? card_access_len : sizeof protected_text - 1;
        if (current_ef == 0x0101 && !secure) { return sw(r, 0, 0x6982); }
        if (off > size) { return sw(r, 0, 0x6B00); }
        size_t n = size - off;
        /* Le 00 asks for what there is (up to 256): 9000; an explicit longer Le gets the 6282 warning. */
        int all = ne == 0 || ne == 256;
        if (all) { ne = 256; }
        if ((long)n > ne) { n = (size_t)ne; }
        if (n > 240) { n = 240; }
        for (size_t i = 0; i < n; i++) { r[i] = content[off + i]; }
        return sw(r, n, !all && (long)n < ne ? 0x6282 : 0x9000);
    }
    return sw(r, 0, 0x6D00);
}

static size_t sm_fail(unsigned char *r, int s) { end_session(); return sw(r, 0, s); }

static size_t protected_command(const unsigned char *a, const unsigned char *d, size_t lc, unsigned char *r)
{
    if (!sm_open) { return sw(r, 0, 0x6882); }
    EAC_increment_ssc(ctx);
    unsigned char macin[300];
    size_t m = 0;
    macin[m++] = a[0]; macin[m++] = a[1]; macin[m++] = a[2]; macin[m++] = a[3];
    macin[m++] = 0x80;
    while (m % 16) { macin[m++] = 0; }
    size_t p = 0, c_at = 0, c_len = 0;
    long ne = 0;
    const unsigned char *mac = NULL;
    while (p < lc) {
        size_t start = p;
        int tag = d[p++];
        long l = get_len(d, lc, &p);
        if (l < 0 || (size_t)l > lc - p) { return sm_fail(r, 0x6988); }
        if (tag == 0x8E) {
            if (l != 8 || p + 8 != lc) { return sm_fail(r, 0x6988); }
            mac = d + p;
        } else if (tag == 0x87 && l >= 17 && d[p] == 0x01) {
            c_at = p + 1; c_len = (size_t)l - 1;
        } else if (tag == 0x97 && (l == 1 || l == 2)) {
            ne = l == 1 ? (d[p] ? d[p] : 256) : ((d[p] << 8) | d[p + 1]);
        } else {
            return sm_fail(r, 0x6988);
        }
        if (tag != 0x8E) { memcpy(macin + m, d + start, p + (size_t)l - start); m += p + (size_t)l - start; }
        p += (size_t)l;
    }
    if (!mac) { return sm_fail(r, 0x6987); }
    BUF_MEM *in = bm(macin, m), *padded = EAC_add_iso_pad(ctx, in), *mb = bm(mac, 8);
    int ok = padded && EAC_verify_authentication(ctx, padded, mb) == 1;
    BUF_MEM_free(in); BUF_MEM_free(padded); BUF_MEM_free(mb);
    if (!ok) { return sm_fail(r, 0x6988); }
    unsigned char plain[260];
    size_t plain_len = 0;
    if (c_len) {
        BUF_MEM *cb = bm(d + c_at, c_len), *dec = EAC_decrypt(ctx, cb), *un = dec ? EAC_remove_iso_pad(dec) : NULL;
        BUF_MEM_free(cb);
        if (dec) { OPENSSL_cleanse(dec->data, dec->length); BUF_MEM_free(dec); }
        if (!un || un->length > sizeof plain) { BUF_MEM_free(un); return sm_fail(r, 0x6988); }
        memcpy(plain, un->data, un->length);
        plain_len = un->length;
        OPENSSL_cleanse(un->data, un->length);
        BUF_MEM_free(un);
    }
    unsigned char inner[300];
    size_t il = files(a[1], a[2], a[3], plain, plain_len, ne, 1, inner);
    OPENSSL_cleanse(plain, sizeof plain);

    EAC_increment_ssc(ctx);
    size_t o = 0;
    if (il > 2) {
        BUF_MEM *db = bm(inner, il - 2), *pd = EAC_add_iso_pad(ctx, db), *enc = pd ? EAC_encrypt(ctx, pd) : NULL;
        BUF_MEM_free(db); BUF_MEM_free(pd);
        if (!enc) { return sm_fail(r, 0x6F00); }
        r[o++] = 0x87;
        o += put_len(r + o, enc->length + 1);
        r[o++] = 0x01;
        memcpy(r + o, enc->data, enc->length);
        o += enc->length;
        BUF_MEM_free(enc);
    }
    r[o++] = 0x99; r[o++] = 0x02; r[o++] = inner[il - 2]; r[o++] = inner[il - 1];
    BUF_MEM *rb = bm(r, o), *rp = EAC_add_iso_pad(ctx, rb), *rmac = rp ? EAC_authenticate(ctx, rp) : NULL;
    BUF_MEM_free(rb); BUF_MEM_free(rp);
    if (!rmac || rmac->length < 8) { BUF_MEM_free(rmac); return sm_fail(r, 0x6F00); }
    r[o++] = 0x8E; r[o++] = 0x08;
    memcpy(r + o, rmac->data, 8);
    BUF_MEM_free(rmac);
    if (protected_responses++ == tamper_at) { r[o + 7] ^= 0x01; }
    o += 8;
    r[o++] = inner[il - 2]; r[o++] = inner[il - 1];
    return o;
}

static size_t process(const unsigned char *a, size_t n, unsigned char *r)
{
    if (n < 4) { return sw(r, 0, 0x6700); }
    size_t lc = 0;
    const unsigned char *d = a + 5;
    long ne = 0;
    if (n == 5) { ne = a[4] ? a[4] : 256; }
    else if (n > 5) {
        lc = a[4];
        if (lc == 0 || (n != 5 + lc && n != 6 + lc)) { return sw(r, 0, 0x6700); }
        if (n == 6 + lc) { ne = a[5 + lc] ? a[5 + lc] : 256; }
    }
    if ((a[0] & 0x0C) == 0x0C) { return protected_command(a, d, lc, r); }
    if (sm_open) { end_session(); }   /* a plain APDU ends secure messaging (ICAO 9303-11 9.8.6) */
    if ((a[0] & 0xEF) == 0 && a[1] == 0x22 && a[2] == 0xC1 && a[3] == 0xA4) { return mse_set_at(d, lc, r); }
    if ((a[0] & 0xEF) == 0 && a[1] == 0x86) {
        if (a[2] || a[3]) { end_session(); return sw(r, 0, 0x6A86); }
        size_t len = general_authenticate(a[0], d, lc, r);
        if (r[len - 2] != 0x90 || r[len - 1] != 0x00) { end_session(); }
        return len;
    }
    if (a[0] & 0x10) { return sw(r, 0, 0x6884); }
    if (a[0] != 0) { return sw(r, 0, 0x6E00); }
    return files(a[1], a[2], a[3], d, lc, ne, 0, r);
}

static int read_all(int s, unsigned char *b, size_t n)
{
    while (n) { ssize_t k = read(s, b, n); if (k <= 0) { return -1; } b += k; n -= (size_t)k; }
    return 0;
}

static int write_frame(int s, const unsigned char *b, size_t n)
{
    unsigned char h[2] = { (unsigned char)(n >> 8), (unsigned char)n };
    return write(s, h, 2) == 2 && write(s, b, n) == (ssize_t)n ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1";
    int port = 35963, curve = 13, aes = 128;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port")) { port = atoi(argv[i + 1]); }
        else if (!strcmp(argv[i], "--host")) { host = argv[i + 1]; }
        else if (!strcmp(argv[i], "--pin")) { pin = argv[i + 1]; }
        else if (!strcmp(argv[i], "--can")) { can = argv[i + 1]; }
        else if (!strcmp(argv[i], "--tries")) { max_tries = tries = atoi(argv[i + 1]); }
        else if (!strcmp(argv[i], "--curve")) { curve = atoi(argv[i + 1]); }
        else if (!strcmp(argv[i], "--aes")) { aes = atoi(argv[i + 1]); }
        else if (!strcmp(argv[i], "--tamper-response")) { tamper_at = atoi(argv[i + 1]); }
        else { fprintf(stderr, "pace-card: unknown option %s\n", argv[i]); return 2; }
    }
    /* EF.CardAccess: SET { SEQUENCE { OID id-PACE-ECDH-GM-AES-CBC-CMAC-x, INTEGER 2, INTEGER curve } } */
    static const unsigned char head[] = { 0x31, 0x14, 0x30, 0x12, 0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02 };
    memcpy(card_access, head, sizeof head);
    card_access_len = sizeof head;
    card_access[card_access_len++] = aes == 256 ? 4 : aes == 192 ? 3 : 2;
    static const unsigned char tail[] = { 0x02, 0x01, 0x02, 0x02, 0x01 };
    memcpy(card_access + card_access_len, tail, sizeof tail);
    card_access_len += sizeof tail;
    card_access[card_access_len++] = (unsigned char)curve;

    EAC_init();
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1 || connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("pace-card: connect");
        return 1;
    }
    fprintf(stderr, "pace-card: connected to %s:%d (curve %d, AES-%d)\n", host, port, curve, aes);
    static const unsigned char atr[] = { 0x3B, 0x8A, 0x80, 0x01, 0x4C, 0x49, 0x42, 0x45, 0x41, 0x43, 0x50, 0x41, 0x43, 0x45, 0x1C };
    unsigned char buf[65538], resp[600];
    for (;;) {
        unsigned char h[2];
        if (read_all(s, h, 2) != 0) { break; }
        size_t n = ((size_t)h[0] << 8) | h[1];
        if (read_all(s, buf, n) != 0) { break; }
        if (n == 1) {
            if (buf[0] == 4) { if (write_frame(s, atr, sizeof atr) != 0) { break; } }
            else { end_session(); current_ef = 0; }
            continue;
        }
        size_t rl = process(buf, n, resp);
        OPENSSL_cleanse(buf, n);
        if (write_frame(s, resp, rl) != 0) { break; }
    }
    end_session();
    EAC_cleanup();
    close(s);
    return 0;
}
