using System;
using System.Collections.Generic;
using System.Text;

namespace Terminal.Simulator
{
    /// <summary>
    /// A simulated Carte Vitale 2. The MF (AID "MF_VITALE") and the "VITALE" application hold the
    /// public identity files of domain.md; everything else (scheme, rights, coverage, AMC) sits in
    /// files of <b>our own simulation layout</b>, because the real placement is not public.
    /// </summary>
    /// <remarks>
    /// Simulation layout (FIDs and tags chosen by us, documented in hardware/cards/vitale2.json):
    /// <code>
    /// MF 3F00  name D2 50 00 00 02 4D 46 5F 56 49 54 41 4C 45 ("MF_VITALE")
    ///   EF DIR 2F00            61 { 4F AID "VITALE", 50 "VITALE" }
    ///   EF PAN 2F02            5A 08 card number (BCD)
    ///   EF 0002  SFI 2         one 65 per person { 80 last name, 81 first name, 82 birth date AAAAMMJJ }
    ///   EF 0003  SFI 3         keys: 6982
    ///   DF 2000  name D2 50 00 00 02 56 49 54 41 4C 45 ("VITALE")
    ///     EF 2001              logical names: 61 { 50 name, 51 FID } per file
    ///     EF 2002  SFI 2       65 { 90 nationality, 93 NIR (15 ASCII) } 66 { 80 validity start } 7F21 certificate
    ///     EF 2004  SFI 4       scheme and AMO rights: 67 { 80 régime, 81 caisse, 82 centre }
    ///                          then one 68 per person { 80 person index, 83 relationship, 84 birth rank,
    ///                          A0 { 80 start, 81 end } per rights period (0..3) }
    ///     EF 2005  SFI 5       coverage: one 69 per code { 80 person index, 81 code, 82 start, 83 end }
    ///     EF 2006  SFI 6       AMC: 6A { 80 AMC number }
    ///     EF 2010  SFI 16      6982 (security status not satisfied)
    /// </code>
    /// </remarks>
    public sealed class VitaleApplication : Iso7816Application
    {
        /// <summary>AID of the MF application "MF_VITALE".</summary>
        public static readonly byte[] MfAid = Hex.Parse("D2 50 00 00 02 4D 46 5F 56 49 54 41 4C 45");

        /// <summary>AID of the application "VITALE".</summary>
        public static readonly byte[] VitaleAid = Hex.Parse("D2 50 00 00 02 56 49 54 41 4C 45");

        /// <summary>The holder data the card was made from.</summary>
        public VitaleData Data { get; }

        /// <summary>Builds the card's files from the profile's holder data.</summary>
        public VitaleApplication(CardProfile profile) : base(MfAid)
        {
            Data = profile.Vitale ?? throw new System.IO.InvalidDataException($"card profile {profile.Name}: 'vitale' data missing");
            Data.Validate();
            var dir = Tlv.Wrap(0x61, new Tlv().Add(0x4F, VitaleAid).Add(0x50, Ascii("VITALE")).ToArray());
            Mf.Add(new ElementaryFile(0x2F00, 30, dir));
            Mf.Add(new ElementaryFile(0x2F02, 0, Tlv.Wrap(0x5A, Hex.Parse("25 00 00 00 12 34 56 78"))));
            var identity = new Tlv();
            foreach (VitalePerson p in Data.Persons)
            {
                identity.Add(0x65, new Tlv().Add(0x80, Ascii(p.LastName)).Add(0x81, Ascii(p.FirstName)).Add(0x82, Ascii(p.BirthDate)).ToArray());
            }
            Mf.Add(new ElementaryFile(0x0002, 2, identity.ToArray()));
            Mf.Add(new ElementaryFile(0x0003, 3, new byte[32]) { Read = ReadCondition.Never });

            DedicatedFile vitale = Mf.Add(new DedicatedFile(0x2000, VitaleAid));
            var names = new Tlv();
            foreach ((string name, ushort fid) in new[] { ("IDENTITE", (ushort)0x2002), ("DROITS", (ushort)0x2004), ("COUVERTURE", (ushort)0x2005), ("AMC", (ushort)0x2006) })
            {
                names.Add(0x61, new Tlv().Add(0x50, Ascii(name)).Add(0x51, new byte[] { (byte)(fid >> 8), (byte)fid }).ToArray());
            }
            vitale.Add(new ElementaryFile(0x2001, 0, names.ToArray()));
            byte[] holder = Tlv.Concat(
                Tlv.Wrap(0x65, new Tlv().Add(0x90, Ascii(Data.Nationality)).Add(0x93, Ascii(Data.Nir)).ToArray()),
                Tlv.Wrap(0x66, new Tlv().Add(0x80, Ascii(Data.ValidityStart)).ToArray()),
                Tlv.Wrap(0x7F21, Ascii("SIMULATION - CERTIFICAT DE CARTE FICTIF")));
            vitale.Add(new ElementaryFile(0x2002, 2, holder));

            var rights = new Tlv().Add(0x67, new Tlv().Add(0x80, Ascii(Data.Regime)).Add(0x81, Ascii(Data.Caisse)).Add(0x82, Ascii(Data.Centre)).ToArray());
            var coverage = new Tlv();
            for (int i = 0; i < Data.Persons.Count; i++)
            {
                VitalePerson p = Data.Persons[i];
                var person = new Tlv().Add(0x80, new byte[] { (byte)i }).Add(0x83, Ascii(p.Relationship)).Add(0x84, new byte[] { (byte)p.BirthRank });
                foreach (VitalePeriod r in p.AmoRights)
                {
                    person.Add(0xA0, new Tlv().Add(0x80, Ascii(r.Start)).Add(0x81, Ascii(r.End)).ToArray());
                }
                rights.Add(0x68, person.ToArray());
                foreach (VitaleCoverage c in p.Coverages)
                {
                    coverage.Add(0x69, new Tlv().Add(0x80, new byte[] { (byte)i }).Add(0x81, Ascii(c.Code)).Add(0x82, Ascii(c.Start)).Add(0x83, Ascii(c.End)).ToArray());
                }
            }
            vitale.Add(new ElementaryFile(0x2004, 4, rights.ToArray()));
            vitale.Add(new ElementaryFile(0x2005, 5, coverage.ToArray()));
            vitale.Add(new ElementaryFile(0x2006, 6, Tlv.Wrap(0x6A, Tlv.Wrap(0x80, Ascii(Data.Amc)))));
            vitale.Add(new ElementaryFile(0x2010, 16, new byte[64]) { Read = ReadCondition.Never });
            AddFiles(profile.Files);
        }

        private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);
    }

    /// <summary>
    /// A simulated Carte Vitale 1 (inverse convention). Its command set is not public: this minimal
    /// application answers CLA BC commands on one file and refuses every Vitale 2 selection (CLA 00:
    /// 6E00), so software can tell the generations apart.
    /// </summary>
    public sealed class Vitale1Application : Iso7816Application
    {
        /// <summary>Builds the minimal file system.</summary>
        public Vitale1Application(CardProfile profile)
        {
            Mf.Add(new ElementaryFile(0x0001, 1, Encoding.ASCII.GetBytes("VITALE 1 SIMULATION")));
            AddFiles(profile.Files);
        }

        /// <inheritdoc/>
        protected override bool ClassAccepted(byte cla) => cla == 0xBC;
    }
}
