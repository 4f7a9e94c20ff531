// NOT BUILT HERE. The method lookup table of the Terminal.Esp32Ec interop assembly.
//
// The order of this table is the order of the methods in the assembly's metadata, one entry per method (NULL for
// a managed one), and the checksum must be the one nanoFramework's MetadataProcessor computes for the built
// Terminal.Esp32Ec.pe: regenerate this file with the project's "Generate stubs" option (NF_GenerateStubsDirectory)
// after any change to the managed class, then check the native entries match the list below. The values here follow
// the declaration order of Esp32EcArithmetic.cs (ctor, Curve, IsOnCurve, Multiply, MultiplyAdd, RandomScalar,
// ScalarFits, PointFits, then the four InternalCall methods); the checksum is a placeholder until regenerated.
#include "Terminal_Esp32Ec.h"

// clang-format off

static const CLR_RT_MethodHandler method_lookup[] =
{
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    Library_Terminal_Esp32Ec_Terminal_Esp32Ec_Esp32EcArithmetic::NativeIsOnCurve___STATIC__BOOLEAN__I4__SZARRAY_U1__I4,
    Library_Terminal_Esp32Ec_Terminal_Esp32Ec_Esp32EcArithmetic::NativeMultiply___STATIC__BOOLEAN__I4__SZARRAY_U1__I4__I4__SZARRAY_U1__I4__SZARRAY_U1__I4,
    Library_Terminal_Esp32Ec_Terminal_Esp32Ec_Esp32EcArithmetic::NativeMultiplyAdd___STATIC__BOOLEAN__I4__SZARRAY_U1__I4__I4__SZARRAY_U1__I4__SZARRAY_U1__I4__SZARRAY_U1__I4,
    Library_Terminal_Esp32Ec_Terminal_Esp32Ec_Esp32EcArithmetic::NativeRandomScalar___STATIC__VOID__I4__SZARRAY_U1__I4,
};

const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_Terminal_Esp32Ec =
{
    "Terminal.Esp32Ec",
    0x00000000, // placeholder: the MetadataProcessor's native checksum of Terminal.Esp32Ec.pe
    method_lookup,
    { 1, 0, 0, 0 }
};

// clang-format on
