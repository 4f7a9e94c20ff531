// NOT BUILT HERE. Native bodies of Terminal.Esp32Ec.Esp32EcArithmetic on ESP-IDF's mbedTLS (3.x).
//
// k·P uses mbedtls_ecp_mul (randomised projective coordinates, constant-time comb/ladder): the scalars of PACE
// (the nonce s, the ephemeral keys) are secret. The point addition of the generic mapping (G' = s·G + H) is
// mbedtls_ecp_muladd with both scalars 1, so no secret scalar goes through muladd (which is not constant-time).
// A result is written to the caller's array only on success, as IEcArithmetic requires. Every temporary is freed
// (mbedtls_mpi_free zeroises) on every path.
#include "Terminal_Esp32Ec.h"

#include <string.h>
#include <esp_random.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/platform_util.h>

typedef Library_Terminal_Esp32Ec_Terminal_Esp32Ec_Esp32EcArithmetic Ec;

// Largest point: brainpoolP384r1, 04 || X || Y.
#define EC_MAX_POINT (1 + 2 * 48)

static mbedtls_ecp_group_id GroupOf(CLR_INT32 parameterId)
{
    switch (parameterId)
    {
        case 12:
            return MBEDTLS_ECP_DP_SECP256R1; // NIST P-256
        case 13:
            return MBEDTLS_ECP_DP_BP256R1; // brainpoolP256r1 (CONFIG_MBEDTLS_ECP_DP_BP256R1_ENABLED)
        case 16:
            return MBEDTLS_ECP_DP_BP384R1; // brainpoolP384r1 (CONFIG_MBEDTLS_ECP_DP_BP384R1_ENABLED)
        default:
            return MBEDTLS_ECP_DP_NONE;
    }
}

static int Random(void *context, unsigned char *output, size_t length)
{
    (void)context;
    esp_fill_random(output, length); // the RF subsystem's true RNG (or the bootloader's entropy source)
    return 0;
}

// The range [offset, offset + count) lies inside the array.
static bool InRange(CLR_RT_HeapBlock_Array *array, CLR_INT32 offset, CLR_INT32 count)
{
    return array != NULL && offset >= 0 && count >= 0 && (CLR_UINT32)offset <= array->m_numOfElements &&
           (CLR_UINT32)count <= array->m_numOfElements - (CLR_UINT32)offset;
}

static size_t PointLength(const mbedtls_ecp_group *grp)
{
    return 1 + 2 * mbedtls_mpi_size(&grp->P);
}

// Reads an uncompressed point and checks it lies on the curve (coordinates below p, equation, not infinity).
static bool ReadPoint(const mbedtls_ecp_group *grp, mbedtls_ecp_point *q, const CLR_UINT8 *bytes)
{
    size_t n = PointLength(grp);
    return bytes[0] == 0x04 && mbedtls_ecp_point_read_binary(grp, q, bytes, n) == 0 && mbedtls_ecp_check_pubkey(grp, q) == 0;
}

// r = (k mod n)·p; false when k ≡ 0 or on an mbedTLS error.
static bool Multiply(mbedtls_ecp_group *grp, mbedtls_ecp_point *r, const CLR_UINT8 *scalar, size_t scalarLength, const mbedtls_ecp_point *p, bool *zero)
{
    mbedtls_mpi k;
    mbedtls_mpi_init(&k);
    bool ok = mbedtls_mpi_read_binary(&k, scalar, scalarLength) == 0 && mbedtls_mpi_mod_mpi(&k, &k, &grp->N) == 0;
    *zero = ok && mbedtls_mpi_cmp_int(&k, 0) == 0;
    ok = ok && !*zero && mbedtls_ecp_mul(grp, r, &k, p, Random, NULL) == 0;
    mbedtls_mpi_free(&k);
    return ok;
}

static bool WritePoint(const mbedtls_ecp_group *grp, const mbedtls_ecp_point *q, CLR_UINT8 *output)
{
    unsigned char buffer[EC_MAX_POINT];
    size_t written = 0;
    size_t n = PointLength(grp);
    bool ok = mbedtls_ecp_is_zero((mbedtls_ecp_point *)q) == 0 &&
              mbedtls_ecp_point_write_binary(grp, q, MBEDTLS_ECP_PF_UNCOMPRESSED, &written, buffer, sizeof(buffer)) == 0 &&
              written == n;
    if (ok)
    {
        memcpy(output, buffer, n);
    }
    mbedtls_platform_zeroize(buffer, sizeof(buffer));
    return ok;
}

HRESULT Ec::NativeIsOnCurve___STATIC__BOOLEAN__I4__SZARRAY_U1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_INT32 id = stack.Arg0().NumericByRef().s4;
        CLR_RT_HeapBlock_Array *point = stack.Arg1().DereferenceArray();
        CLR_INT32 offset = stack.Arg2().NumericByRef().s4;
        bool ok = false;
        mbedtls_ecp_group grp;
        mbedtls_ecp_point q;
        mbedtls_ecp_group_init(&grp);
        mbedtls_ecp_point_init(&q);
        if (GroupOf(id) != MBEDTLS_ECP_DP_NONE && mbedtls_ecp_group_load(&grp, GroupOf(id)) == 0 &&
            InRange(point, offset, (CLR_INT32)PointLength(&grp)))
        {
            ok = ReadPoint(&grp, &q, point->GetFirstElement() + offset);
        }
        mbedtls_ecp_point_free(&q);
        mbedtls_ecp_group_free(&grp);
        stack.SetResult_Boolean(ok);
    }
    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT Ec::NativeMultiply___STATIC__BOOLEAN__I4__SZARRAY_U1__I4__I4__SZARRAY_U1__I4__SZARRAY_U1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_INT32 id = stack.Arg0().NumericByRef().s4;
        CLR_RT_HeapBlock_Array *scalar = stack.Arg1().DereferenceArray();
        CLR_INT32 scalarOffset = stack.Arg2().NumericByRef().s4;
        CLR_INT32 scalarLength = stack.Arg3().NumericByRef().s4;
        CLR_RT_HeapBlock_Array *point = stack.Arg4().DereferenceArray();
        CLR_INT32 pointOffset = stack.Arg5().NumericByRef().s4;
        CLR_RT_HeapBlock_Array *result = stack.Arg6().DereferenceArray();
        CLR_INT32 resultOffset = stack.Arg7().NumericByRef().s4;
        bool ok = false, zero = false;
        mbedtls_ecp_group grp;
        mbedtls_ecp_point p, r;
        mbedtls_ecp_group_init(&grp);
        mbedtls_ecp_point_init(&p);
        mbedtls_ecp_point_init(&r);
        if (GroupOf(id) != MBEDTLS_ECP_DP_NONE && mbedtls_ecp_group_load(&grp, GroupOf(id)) == 0)
        {
            CLR_INT32 pl = (CLR_INT32)PointLength(&grp);
            ok = InRange(scalar, scalarOffset, scalarLength) && scalarLength > 0 && InRange(point, pointOffset, pl) &&
                 InRange(result, resultOffset, pl) && ReadPoint(&grp, &p, point->GetFirstElement() + pointOffset) &&
                 Multiply(&grp, &r, scalar->GetFirstElement() + scalarOffset, (size_t)scalarLength, &p, &zero) &&
                 WritePoint(&grp, &r, result->GetFirstElement() + resultOffset);
        }
        mbedtls_ecp_point_free(&r);
        mbedtls_ecp_point_free(&p);
        mbedtls_ecp_group_free(&grp);
        stack.SetResult_Boolean(ok);
    }
    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT Ec::NativeMultiplyAdd___STATIC__BOOLEAN__I4__SZARRAY_U1__I4__I4__SZARRAY_U1__I4__SZARRAY_U1__I4__SZARRAY_U1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_INT32 id = stack.Arg0().NumericByRef().s4;
        CLR_RT_HeapBlock_Array *scalar = stack.Arg1().DereferenceArray();
        CLR_INT32 scalarOffset = stack.Arg2().NumericByRef().s4;
        CLR_INT32 scalarLength = stack.Arg3().NumericByRef().s4;
        CLR_RT_HeapBlock_Array *point = stack.Arg4().DereferenceArray();
        CLR_INT32 pointOffset = stack.Arg5().NumericByRef().s4;
        CLR_RT_HeapBlock_Array *addend = stack.Arg6().DereferenceArray();
        CLR_INT32 addendOffset = stack.Arg7().NumericByRef().s4;
        CLR_RT_HeapBlock_Array *result = stack.Arg8().DereferenceArray();
        CLR_INT32 resultOffset = stack.Arg9().NumericByRef().s4;
        bool ok = false, zero = false;
        mbedtls_ecp_group grp;
        mbedtls_ecp_point p, q, kp, r;
        mbedtls_mpi one;
        mbedtls_ecp_group_init(&grp);
        mbedtls_ecp_point_init(&p);
        mbedtls_ecp_point_init(&q);
        mbedtls_ecp_point_init(&kp);
        mbedtls_ecp_point_init(&r);
        mbedtls_mpi_init(&one);
        if (GroupOf(id) != MBEDTLS_ECP_DP_NONE && mbedtls_ecp_group_load(&grp, GroupOf(id)) == 0 && mbedtls_mpi_lset(&one, 1) == 0)
        {
            CLR_INT32 pl = (CLR_INT32)PointLength(&grp);
            bool args = InRange(scalar, scalarOffset, scalarLength) && scalarLength > 0 && InRange(point, pointOffset, pl) &&
                        InRange(addend, addendOffset, pl) && InRange(result, resultOffset, pl) &&
                        ReadPoint(&grp, &p, point->GetFirstElement() + pointOffset) &&
                        ReadPoint(&grp, &q, addend->GetFirstElement() + addendOffset);
            if (args)
            {
                bool multiplied = Multiply(&grp, &kp, scalar->GetFirstElement() + scalarOffset, (size_t)scalarLength, &p, &zero);
                if (zero)
                {
                    // 0·P + Q = Q, as the managed and desktop implementations answer.
                    ok = WritePoint(&grp, &q, result->GetFirstElement() + resultOffset);
                }
                else if (multiplied)
                {
                    // 1·kP + 1·Q: muladd only adds here (it handles kP = -Q, giving infinity, rejected below).
                    ok = mbedtls_ecp_muladd(&grp, &r, &one, &kp, &one, &q) == 0 &&
                         WritePoint(&grp, &r, result->GetFirstElement() + resultOffset);
                }
            }
        }
        mbedtls_mpi_free(&one);
        mbedtls_ecp_point_free(&r);
        mbedtls_ecp_point_free(&kp);
        mbedtls_ecp_point_free(&q);
        mbedtls_ecp_point_free(&p);
        mbedtls_ecp_group_free(&grp);
        stack.SetResult_Boolean(ok);
    }
    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT Ec::NativeRandomScalar___STATIC__VOID__I4__SZARRAY_U1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_INT32 id = stack.Arg0().NumericByRef().s4;
        CLR_RT_HeapBlock_Array *output = stack.Arg1().DereferenceArray();
        CLR_INT32 offset = stack.Arg2().NumericByRef().s4;
        mbedtls_ecp_group grp;
        mbedtls_mpi d;
        mbedtls_ecp_group_init(&grp);
        mbedtls_mpi_init(&d);
        bool ok = GroupOf(id) != MBEDTLS_ECP_DP_NONE && mbedtls_ecp_group_load(&grp, GroupOf(id)) == 0;
        size_t n = ok ? mbedtls_mpi_size(&grp.P) : 0;
        // 1 <= d < n, by rejection sampling inside mbedTLS.
        ok = ok && InRange(output, offset, (CLR_INT32)n) && mbedtls_ecp_gen_privkey(&grp, &d, Random, NULL) == 0 &&
             mbedtls_mpi_write_binary(&d, output->GetFirstElement() + offset, n) == 0;
        mbedtls_mpi_free(&d);
        mbedtls_ecp_group_free(&grp);
        if (!ok)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }
    }
    NANOCLR_NOCLEANUP();
}
