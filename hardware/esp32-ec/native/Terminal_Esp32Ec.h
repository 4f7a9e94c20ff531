// NOT BUILT HERE. Native side of the Terminal.Esp32Ec interop assembly (hardware/esp32-ec/managed) for a custom
// nanoFramework ESP32 firmware; see ../README.md. Layout of the nanoFramework interop skeleton: this header, the
// assembly's method lookup table (Terminal_Esp32Ec.cpp) and one file per class with the native bodies.
#ifndef TERMINAL_ESP32EC_H
#define TERMINAL_ESP32EC_H

#include <nanoCLR_Interop.h>
#include <nanoCLR_Runtime.h>
#include <nanoPackStruct.h>
#include <corlib_native.h>

struct Library_Terminal_Esp32Ec_Terminal_Esp32Ec_Esp32EcArithmetic
{
    static const int FIELD___curve = 1;
    static const int FIELD___id = 2;

    NANOCLR_NATIVE_DECLARE(NativeIsOnCurve___STATIC__BOOLEAN__I4__SZARRAY_U1__I4);
    NANOCLR_NATIVE_DECLARE(NativeMultiply___STATIC__BOOLEAN__I4__SZARRAY_U1__I4__I4__SZARRAY_U1__I4__SZARRAY_U1__I4);
    NANOCLR_NATIVE_DECLARE(NativeMultiplyAdd___STATIC__BOOLEAN__I4__SZARRAY_U1__I4__I4__SZARRAY_U1__I4__SZARRAY_U1__I4__SZARRAY_U1__I4);
    NANOCLR_NATIVE_DECLARE(NativeRandomScalar___STATIC__VOID__I4__SZARRAY_U1__I4);

    //--//
};

extern const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_Terminal_Esp32Ec;

#endif // TERMINAL_ESP32EC_H
