// Stand-in for nanoFramework.Hardware.Esp32, used only by the portability referee to compile
// Terminal/Esp32 (the nanoFramework entry point). Its members come from the package's API list
// (../../Api/nf-nanoFramework.Hardware.Esp32-api.signatures.txt) and every use is checked against
// that list; enum values are placeholders (the referee never runs this code). Extend it from the
// list when the entry point needs more of the package.
namespace nanoFramework.Hardware.Esp32
{
    public class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction function)
        {
        }

        public static int GetFunctionPin(DeviceFunction function) => -1;
    }

    public enum DeviceFunction
    {
        ADC1_CH0,
        ADC1_CH1,
        ADC1_CH10,
        ADC1_CH11,
        ADC1_CH12,
        ADC1_CH13,
        ADC1_CH14,
        ADC1_CH15,
        ADC1_CH16,
        ADC1_CH17,
        ADC1_CH18,
        ADC1_CH19,
        ADC1_CH2,
        ADC1_CH3,
        ADC1_CH4,
        ADC1_CH5,
        ADC1_CH6,
        ADC1_CH7,
        ADC1_CH8,
        ADC1_CH9,
        COM1_CTS,
        COM1_RTS,
        COM1_RX,
        COM1_TX,
        COM2_CTS,
        COM2_RTS,
        COM2_RX,
        COM2_TX,
        COM3_CTS,
        COM3_RTS,
        COM3_RX,
        COM3_TX,
        COM4_CTS,
        COM4_RTS,
        COM4_RX,
        COM4_TX,
        I2C1_CLOCK,
        I2C1_DATA,
        I2C2_CLOCK,
        I2C2_DATA,
        I2S1_BCK,
        I2S1_DATA_OUT,
        I2S1_MCK,
        I2S1_MDATA_IN,
        I2S1_WS,
        I2S2_BCK,
        I2S2_DATA_OUT,
        I2S2_MCK,
        I2S2_MDATA_IN,
        I2S2_WS,
        PWM1,
        PWM10,
        PWM11,
        PWM12,
        PWM13,
        PWM14,
        PWM15,
        PWM16,
        PWM2,
        PWM3,
        PWM4,
        PWM5,
        PWM6,
        PWM7,
        PWM8,
        PWM9,
        SDMMC1_CLOCK,
        SDMMC1_COMMAND,
        SDMMC1_D0,
        SDMMC1_D1,
        SDMMC1_D2,
        SDMMC1_D3,
        SDMMC2_CLOCK,
        SDMMC2_COMMAND,
        SDMMC2_D0,
        SDMMC2_D1,
        SDMMC2_D2,
        SDMMC2_D3,
        SPI1_CLOCK,
        SPI1_MISO,
        SPI1_MOSI,
        SPI2_CLOCK,
        SPI2_MISO,
        SPI2_MOSI,
    }
}
