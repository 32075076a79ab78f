"""The bibliography: each source defined once, with its DOI or PMID.

Model modules cite these constants; ``opioidsim sources`` lists those the running model
uses. Add a source here before citing it; never give a DOI or PMID that was not seen.
"""

from __future__ import annotations

from opioidsim.model.declare import Source

# --- Receptor binding and PK/PD models -----------------------------------------------------
MANN_2022 = Source(
    "MANN_2022",
    "Mann et al. 2022, Clin Pharmacol Ther; FDA Mechanistic-PK-PD-Model-to-Rescue-Opioid-"
    "Overdose (GitHub repository and its Ligand_Data files)",
    pmid="35766413",
)
YASSEN_2007 = Source(
    "YASSEN_2007",
    "Yassen et al. 2007, Clin Pharmacokinet 46:965-980 (buprenorphine-naloxone PK-PD)",
    doi="10.2165/00003088-200746110-00004",
)
TROSTHEIM_2022 = Source(
    "TROSTHEIM_2022",
    "Trøstheim et al. 2022, Neuropsychopharmacology (opioid antagonist PET blockade; "
    "planner apps martintrostheim/opioid-antagonist-planner)",
    doi="10.1038/s41386-022-01416-z",
)
RABINER_2011 = Source(
    "RABINER_2011",
    "Rabiner et al. 2011, Mol Psychiatry 16:826-835 (naltrexone [11C]carfentanil PET)",
    doi="10.1038/mp.2011.29",
)
MAYBERG_FROST_1990 = Source(
    "MAYBERG_FROST_1990",
    "Mayberg & Frost 1990, naloxone [11C]carfentanil PET, as tabulated in Trøstheim 2022 Table 1",
    doi="10.1038/s41386-022-01416-z",
)
ZERNIG_1995 = Source(
    "ZERNIG_1995",
    "Zernig G, Issaevitch T, Broadbear JH, Burke TF, Lewis JW, Brine GA, Woods JH 1995, "
    "Life Sci 57:2113-2125 (clocinnamox receptor inactivation, operational model in vivo: "
    "mouse warm-water tail withdrawal; tau morphine 4, fentanyl 15; KA 29 and 7.3 mg/kg)",
    doi="10.1016/0024-3205(95)02204-V",
)
OLOFSEN_2010 = Source(
    "OLOFSEN_2010",
    "Olofsen E et al. 2010, Anesthesiology 112:1417-1427 (naloxone reversal of morphine and "
    "M6G respiratory depression; receptor koff morphine 0.138/min)",
    doi="10.1097/ALN.0b013e3181d5e29d",
)
CHEN_1991 = Source(
    "CHEN_1991", "Chen et al. 1991, Life Sci 48:2165-2171 (mu Ki, rat brain)", pmid="1851921"
)
VOLPE_2011 = Source(
    "VOLPE_2011",
    "Volpe et al. 2011, Regul Toxicol Pharmacol 59:385-390 (human recombinant MOR Ki)",
    doi="10.1016/j.yrtph.2010.12.007",
)
DAHAN_2005 = Source(
    "DAHAN_2005",
    "Dahan et al. 2005, Br J Anaesth 94:825-834 (buprenorphine respiratory ceiling)",
    doi="10.1093/bja/aei145",
)
WALKER_1994 = Source(
    "WALKER_1994",
    "Walker et al. 1994, JPET 271:959-968 (naltrexone apparent pA2 vs mu agonists, rat)",
    url="JPET 1994;271:959",
)
MELICHAR_2005 = Source(
    "MELICHAR_2005",
    "Melichar et al. 2005, JPET 312:309-315 (methadone [11C]diprenorphine occupancy)",
    doi="10.1124/jpet.104.072686",
)
EKBLOM_1993 = Source(
    "EKBLOM_1993",
    "Ekblom, Hammarlund-Udenaes & Paalzow 1993, J Pharmacol Exp Ther 266:244-252 (morphine "
    "antinociception in rats: blood-to-effect equilibration half-life 25 +- 8 min)",
    url="https://jpet.aspetjournals.org/content/266/1/244",
)
ANDERSON_HOLFORD_2008 = Source(
    "ANDERSON_HOLFORD_2008",
    "Anderson & Holford 2008, Annu Rev Pharmacol Toxicol 48:303-332 (allometric scaling)",
    doi="10.1146/annurev.pharmtox.48.113006.094708",
)

# --- Pharmacokinetics ----------------------------------------------------------------------
STUART_HARRIS_2000 = Source(
    "STUART_HARRIS_2000",
    "Stuart-Harris et al. 2000, Br J Clin Pharmacol 49:207-214 (morphine IV PK, Table 1)",
    doi="10.1046/j.1365-2125.2000.00141.x",
)
HOSKIN_1989 = Source(
    "HOSKIN_1989",
    "Hoskin et al. 1989, Br J Clin Pharmacol 27:499-505 (oral morphine bioavailability)",
    doi="10.1111/j.1365-2125.1989.tb05399.x",
)
WANG_2013 = Source(
    "WANG_2013",
    "Wang C, Sadhasivam S, Krekels EHJ, Dahan A, Tibboel D, Danhof M, Vinks AA, Knibbe CAJ "
    "2013, Clin Drug Investig 33:523-534 (morphine two-compartment population PK from "
    "neonates to adults; DDMORE DDMODEL00000269 Model I final estimates, as transcribed in "
    "nlmixr2lib Wang_2013_morphine.R)",
    doi="10.1007/s40261-013-0097-6",
)
DAHAN_2004 = Source(
    "DAHAN_2004",
    "Dahan et al. 2004, Anesthesiology 101:1201-1209 (morphine and M6G effect-site delay)",
    pmid="15505457",
)
INTURRISI_1984 = Source(
    "INTURRISI_1984",
    "Inturrisi et al. 1984, N Engl J Med 310:1213-1217 (heroin disposition)",
    doi="10.1056/NEJM198405103101902",
)
ROOK_2006 = Source(
    "ROOK_2006",
    "Rook et al. 2006, Clin Pharmacokinet 45:401-417 (heroin, 6-MAM, morphine popPK)",
    doi="10.2165/00003088-200645040-00005",
)
MEYER_1984 = Source(
    "MEYER_1984",
    "Meyer et al. 1984, J Clin Psychiatry 45(9 Pt 2):15-19 (naltrexone PK)",
    url="J Clin Psychiatry 1984;45(9 Pt2):15",
)
BERTOLOTTI_1997 = Source(
    "BERTOLOTTI_1997",
    "Bertolotti et al. 1997, J Hepatol 27:505-511 (oral naltrexone 100 mg; 7 controls with "
    "normal liver function: AUC0-24 naltrexone 200 +/- 97, 6beta-naltrexol 2467 +/- 730 "
    "ng.h/mL; 6beta-naltrexol/naltrexone at 2 h 10.91 +/- 4.80; abstract read)",
    url="https://iris.unimore.it/handle/11380/945891",
)
SWISS_NALTREXONE_LABEL = Source(
    "SWISS_NALTREXONE_LABEL",
    "Swiss naltrexone hydrochloride 50 mg label (Fachinformation, reg. 56109), section "
    "Pharmacokinetics: Cmax 13.3 ng/mL at 1 h, 6beta-naltrexol ~108 ng/mL at ~1 h, t1/2 4 h "
    "and 13 h",
    url="https://ch.oddb.org/fr/gcc/fachinfo/reg/56109/chapter/kinetic",
)
WALL_1981 = Source(
    "WALL_1981",
    "Wall et al. 1981, Drug Metab Dispos 9:369-375 (naltrexone and 6beta-naltrexol PK)",
    url="Drug Metab Dispos 1981;9:369",
)
DUNBAR_2006 = Source(
    "DUNBAR_2006",
    "Dunbar et al. 2006, Alcohol Clin Exp Res 30:480-490 (extended-release naltrexone PK)",
    doi="10.1111/j.1530-0277.2006.00052.x",
)
VIVITROL_LABEL = Source(
    "VIVITROL_LABEL",
    "Vivitrol (naltrexone for extended-release injectable suspension) prescribing information, "
    "pharmacokinetics as quoted on the manufacturer's HCP site: transient peak ~2 h, second "
    "peak 2-3 d, decline from ~14 d; 'total naltrexone exposure is 3- to 4-fold higher' than "
    "50 mg oral daily over 28 days, the oral data extrapolated beyond day 5 from healthy "
    "volunteers (n = 14) given 50 mg daily for 5 days (Dunbar 2006's multiple-dose group)",
    url="https://vivitrolhcp.com/dosing-and-administration",
)
DOWLING_2008 = Source(
    "DOWLING_2008",
    "Dowling et al. 2008, Ther Drug Monit 30:490-496 (naloxone popPK, IV/IM/IN)",
    doi="10.1097/FTD.0b013e3181816214",
)
CASTILLO_2024 = Source(
    "CASTILLO_2024",
    "Castillo et al. 2024, J Addict Med 18:110-114 (naltrexone blocking concentration)",
    doi="10.1097/ADM.0000000000001247",
)
ICRP_2002 = Source(
    "ICRP_2002",
    "ICRP Publication 89 (2002), Basic anatomical and physiological data for use in "
    "radiological protection: reference values (reference adult body mass)",
    doi="10.1016/S0146-6453(03)00002-2",
)
PUBCHEM_2023 = Source(
    "PUBCHEM_2023",
    "Kim et al. 2023, PubChem 2023 update, Nucleic Acids Res 51:D1373-D1380 (compound "
    "records: molecular weights)",
    doi="10.1093/nar/gkac956",
)

# --- Endogenous peptides, kappa ------------------------------------------------------------
MOL_PAIN_2011 = Source(
    "MOL_PAIN_2011",
    "Mol Pain 2011; 7:9 (rat MOR-1 in CHO cells: GTPgammaS EC50 and binding of opioid "
    "peptides, Table 4)",
    doi="10.1186/1744-8069-7-9",
)
HUANG_2001 = Source(
    "HUANG_2001",
    "Huang et al. 2001, JPET 297:688-695 (buprenorphine and norbuprenorphine at KOR)",
    pmid="11303059",
)
HOUGHTEN_1980 = Source(
    "HOUGHTEN_1980",
    "Houghten, Swann & Li 1980, PNAS 77:4588-4591 (beta-endorphin kinetics and stability)",
    doi="10.1073/pnas.77.8.4588",
)

# --- Pharmacokinetics of the drug modules (model/pharmacokinetics/) ------------------------
NALOXONE_RIA_1975 = Source(
    "NALOXONE_RIA_1975",
    "Disposition of naloxone: use of a new radioimmunoassay, J Pharmacol Exp Ther 1975;"
    "195:499 (rat serum and brain naloxone and morphine after s.c. dosing; authors not seen)",
    pmid="1195133",
)
PAIN_RES_MANAG_2021 = Source(
    "PAIN_RES_MANAG_2021",
    "Pain Res Manag 2021 (three-way crossover of intranasal vs intravenous fentanyl, Table 2;"
    " authors not seen)",
    doi="10.1155/2021/2887773",
    pmid="34880961",
)
J_PHARM_HEALTH_CARE_SCI_2024 = Source(
    "J_PHARM_HEALTH_CARE_SCI_2024",
    "J Pharm Health Care Sci 2024 (fentanyl IV pharmacokinetics in Wistar rats, Table 3; "
    "authors not seen)",
    doi="10.1186/s40780-024-00402-5",
)
LEOW_1992 = Source(
    "LEOW_1992",
    "Leow et al. 1992, Clin Pharmacol Ther 52:487 (oxycodone IV and oral pharmacokinetics)",
    pmid="1424423",
)
POYHIA_1992 = Source(
    "POYHIA_1992",
    "Pöyhiä R et al. 1992, Br J Clin Pharmacol 33:617-621 (oxycodone i.m. and oral in nine "
    "healthy volunteers: oral bioavailability 60% relative to i.m.)",
    doi="10.1111/j.1365-2125.1992.tb04090.x",
)
MCALEER_2003 = Source(
    "MCALEER_2003",
    "McAleer et al. 2003, Drug Alcohol Depend 72:75-83 (high-dose sublingual buprenorphine "
    "tablets under naltrexone block: mean Cmax 1.6-6.4 ng/mL over 2-16 mg, tmax 0.5-3 h, "
    "Cmax and AUC dose-proportional over 8-16 mg, terminal t1/2 ~26 h)",
    url="https://www.acemap.info/paper/118378740",
)
MENDELSON_1997 = Source(
    "MENDELSON_1997",
    "Mendelson et al. 1997, J Clin Pharmacol 37:31-37 (sublingual buprenorphine bioavailability)",
    pmid="9048270",
)
EUR_J_PHARM_SCI_2002 = Source(
    "EUR_J_PHARM_SCI_2002",
    "Eur J Pharm Sci 2002;15:287 (buprenorphine IV pharmacokinetics in rats, 0.1-30 mg/kg; "
    "authors not seen)",
    doi="10.1016/s0928-0987(02)00009-x",
)
DUNBAR_2007 = Source(
    "DUNBAR_2007",
    "Dunbar et al. 2007, J Stud Alcohol Drugs 68:862 (extended-release naltrexone popPK, "
    "naltrexone and 6beta-naltrexol)",
    pmid="17960304",
)
DE_GROOT_1995 = Source(
    "DE_GROOT_1995",
    "de Groot et al. 1995, J Pharm Pharmacol 47:571-575 (oxytocin IV and sublingual PK)",
    pmid="8568623",
)
STRIEPENS_2013 = Source(
    "STRIEPENS_2013",
    "Striepens et al. 2013, Sci Rep 3:3440 (intranasal oxytocin 24 IU: plasma and CSF)",
    doi="10.1038/srep03440",
    pmid="24310737",
)
HUESTIS_2013 = Source(
    "HUESTIS_2013",
    "Huestis et al. 2013, Drug Alcohol Depend 131:258-262 (IV buprenorphine 2-16 mg: plasma "
    "concentrations in humans)",
    doi="10.1016/j.drugalcdep.2012.11.014",
    pmid="23246635",
)
PERT_SNYDER_1973 = Source(
    "PERT_SNYDER_1973",
    "Pert, Pasternak & Snyder 1973, Science 182:1359-1361 (opiate agonists and antagonists "
    "discriminated by receptor binding; sodium lowers agonist, raises antagonist binding)",
    doi="10.1126/science.182.4119.1359",
)

# -- reward and neuroadaptation (issue 4; evidence in shared/evidence/neuro.csv) ------------
DI_CHIARA_IMPERATO_1988 = Source(
    "DI_CHIARA_IMPERATO_1988",
    "Di Chiara & Imperato 1988, J Pharmacol Exp Ther 244:1067-1080 (opioids raise dopamine "
    "preferentially in the accumbens of freely moving rats; mu agonists <= +100%)",
    pmid="2855239",
)
DI_CHIARA_IMPERATO_1988_KAPPA = Source(
    "DI_CHIARA_IMPERATO_1988_KAPPA",
    "Di Chiara & Imperato 1988, Proc Natl Acad Sci USA 85:5274-5278 (opposite effects of mu "
    "and kappa agonists on accumbens dopamine release)",
    pmid="2899326",
)
SPANAGEL_1992 = Source(
    "SPANAGEL_1992",
    "Spanagel, Herz & Shippenberg 1992, Proc Natl Acad Sci USA 89:2046-2050 (opposing "
    "tonically active endogenous opioid systems modulate the mesolimbic dopaminergic pathway: "
    "a mu antagonist in the VTA lowers, a kappa antagonist in the accumbens raises basal "
    "dopamine)",
    doi="10.1073/pnas.89.6.2046",
)
POTHOS_1991 = Source(
    "POTHOS_1991",
    "Pothos, Rada, Mark & Hoebel 1991, Brain Res 566:348-350 (accumbens dopamine during "
    "morphine dosing and naloxone-precipitated withdrawal; no tolerance of the response)",
    pmid="1814554",
)
AVIDOR_REISS_1995 = Source(
    "AVIDOR_REISS_1995",
    "Avidor-Reiss et al. 1995, J Biol Chem 270:29732-29738 (adenylylcyclase "
    "supersensitization in mu-opioid receptor-transfected CHO cells)",
    pmid="8530363",
)
SEUTIN_1990 = Source(
    "SEUTIN_1990",
    "Seutin, Franchimont, Massotte & Dresse 1990, Life Sci 46:1879-1885 (morphine inhibits rat "
    "locus coeruleus firing in slices, IC50 13.4 nM; no effect on VTA dopamine neurons)",
    pmid="2163482",
    doi="10.1016/0024-3205(90)90241-i",
)
HEISHMAN_1990 = Source(
    "HEISHMAN_1990",
    "Heishman et al. 1990, Pharmacol Biochem Behav 36:393-399 (acute opioid dependence: "
    "naloxone precipitates withdrawal 6 h and 24 h after one morphine dose)",
    doi="10.1016/0091-3057(90)90421-d",
    pmid="2356213",
)
BINSWANGER_2007 = Source(
    "BINSWANGER_2007",
    "Binswanger et al. 2007, N Engl J Med 356:157-165 (death after release from prison; "
    "overdose RR 129 in the first 2 weeks)",
    doi="10.1056/NEJMsa064115",
)
CRIPPENS_ROBINSON_1994 = Source(
    "CRIPPENS_ROBINSON_1994",
    "Crippens & Robinson 1994, Brain Res 650:56-62 (striatal dopamine decreased at 24 h of "
    "spontaneous morphine withdrawal)",
    pmid="7953677",
)
RICHTER_WEISS_1999 = Source(
    "RICHTER_WEISS_1999",
    "Richter & Weiss 1999, Synapse 32:254-261 (amygdala CRF dialysate ~400% of baseline in "
    "cocaine withdrawal; an analogue, no opioid value found)",
    pmid="10332801",
)
WISE_1995 = Source(
    "WISE_1995",
    "Wise, Leone, Rivest & Leeb 1995, Synapse 21:140-148 (accumbens dopamine 150-300% of "
    "baseline during intravenous heroin self-administration)",
    doi="10.1002/syn.890210207",
)
MOUSE_TOLERANCE_2007 = Source(
    "MOUSE_TOLERANCE_2007",
    "Br J Pharmacol 2007 151:1324-1333, Table 1 (morphine pellet: hot-plate ED50 7.3-fold; "
    "authors not seen)",
    doi="10.1038/sj.bjp.0707328",
)

DALE_2004 = Source(
    "DALE_2004",
    "Dale, Sheffels & Kharasch 2004, Br J Clin Pharmacol 58:156-162 (methadone 10 mg oral vs "
    "5 mg IV in 7 healthy subjects: oral bioavailability 0.86 (95% CI 0.75-0.97), oral tmax "
    "2.8 (1.6-4.0) h)",
    doi="10.1111/j.1365-2125.2004.02116.x",
)
ROMACH_1981 = Source(
    "ROMACH_1981",
    "Romach, Piafsky, Abel, Khouw & Sellers 1981, Clin Pharmacol Ther 29:211-217 (methadone "
    "plasma binding by equilibrium dialysis at 37 C, 29 healthy subjects: free fraction of "
    "dl-methadone 10.62 +- 1.43 %)",
    doi="10.1038/clpt.1981.34",
    pmid="7193106",
)


# --- Effects of mu signalling ----------------------------------------------------------------
ROMBERG_2003 = Source(
    "ROMBERG_2003",
    "Romberg et al. 2003, Anesthesiology 99:788-798 (morphine and M6G ventilatory depression, "
    "C25 and effect-site delay)",
    url="Anesthesiology 2003;99:788",
)

LING_1989 = Source(
    "LING_1989",
    "Ling, Paul, Simantov & Pasternak 1989, Life Sci 45 (differential development of "
    "acute tolerance to analgesia, respiratory depression, gastrointestinal transit and hormone "
    "release in a rat IV morphine infusion model: tail-flick analgesia back near baseline by "
    "8 h, no significant tolerance of blood-gas respiratory depression over 8 h)",
    pmid="2555641",
)
ATHANASOS_2006 = Source(
    "ATHANASOS_2006",
    "Athanasos, Smith, White, Somogyi, Bochner & Ling 2006, Pain 120:267-275 (methadone-"
    "maintained patients: IV morphine at ~173 ng/mL gave no antinociception yet lowered "
    "respiratory rate by 12 +/- 3 %)",
    doi="10.1016/j.pain.2005.11.005",
)

# --- HPA axis ------------------------------------------------------------------------------
KEENAN_2004 = Source(
    "KEENAN_2004",
    "Keenan, Roelfsema & Veldhuis 2004, Am J Physiol Endocrinol Metab (endogenous ACTH "
    "concentration-dependent drive of pulsatile cortisol secretion; 32 adults, 10-min "
    "sampling for 24 h: ACTH t1/2 20 min, total cortisol t1/2 49 min, ACTH EC50 26 ng/L)",
    url="https://mayoclinic.elsevierpure.com/en/publications/"
    "endogenous-acth-concentration-dependent-drive-of-pulsatile-cortis",
)
KEENAN_2010 = Source(
    "KEENAN_2010",
    "Keenan, Roelfsema & Veldhuis 2010, Am J Physiol Regul Integr Comp Physiol 299:R11 "
    "(ACTH-cortisol dose-response without hysteresis: EC50 16 ng/L)",
    pmid="20410472",
)
TKACHEVA_1975 = Source(
    "TKACHEVA_1975",
    "Tkacheva et al. 1975, Probl Endokrinol 21:65 (131I-ACTH disappearance in the rat: "
    "t1/2 11.2 min intact, 6.4 min adrenalectomised, 17 min on dexamethasone)",
    pmid="176648",
)
OCRH_TEST_1983 = Source(
    "OCRH_TEST_1983",
    "Ovine CRH 1 ug/kg IV in 31 men, Endocrinol Jpn 1983 30:689 (morning ACTH 26.8 -> 58.4 "
    "pg/mL at 30 min, 2.2-fold; cortisol 12.6 -> 22.9 ug/dL at 60 min)",
    doi="10.1507/endocrj1954.30.689",
)
SCHMIDT_REINWALD_1999 = Source(
    "SCHMIDT_REINWALD_1999",
    "Schmidt-Reinwald et al. 1999, Life Sci 64:1653 (the cortisol awakening response is of "
    "the size of the responses to 1 ug/kg CRH and to the TSST; n = 22)",
    doi="10.1016/S0024-3205(99)00103-4",
)
KIRSCHBAUM_1993 = Source(
    "KIRSCHBAUM_1993",
    "Kirschbaum, Pirke & Hellhammer 1993, Neuropsychobiology 28:76 (the Trier Social Stress "
    "Test: preparation, 5 min speech and 5 min arithmetic before an audience)",
    doi="10.1159/000119004",
)
ROELFSEMA_2012 = Source(
    "ROELFSEMA_2012",
    "Cushing's disease vs 36 healthy controls, J Clin Endocrinol Metab 2012 (PMC3410358; "
    "24-h ACTH-cortisol dose-response: ACTH efficacy, the maximal cortisol secretion, "
    "21 +- 2.3 nmol/L/min in controls; EC50 20 ng/L at pulse onset)",
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC3410358",
)
ORTIZ_FLORES_2018 = Source(
    "ORTIZ_FLORES_2018",
    "Ortiz-Flores et al. 2018, BMJ Open 8:e019273 (morning ACTH median 4 pmol/L and cortisol "
    "386 nmol/L in normal responders to the short synacthen test, n = 307)",
    doi="10.1136/bmjopen-2017-019273",
)
NALOXONE_HPA_1994 = Source(
    "NALOXONE_HPA_1994",
    "Am J Med Sci 1994;308:167 (naloxone 125 ug/kg IV in 11 subjects with an intact HPA axis: "
    "ACTH 6 to 11 pmol/L at 30 min, cortisol 191 to 379 nmol/L at 45 min)",
    pmid="8074133",
)
FACCHINETTI_1985 = Source(
    "FACCHINETTI_1985",
    "Facchinetti et al. 1985, Drug Alcohol Depend 15:361 (morphine 0.1 mg/kg lowers cortisol "
    "within 60 min in healthy volunteers)",
    pmid="4053973",
)
STEROIDS_1988 = Source(
    "STEROIDS_1988",
    "Steroids 1988;51:609 (rat corticosterone half-life 25 min total, 15 min free)",
    doi="10.1016/0039-128X(88)90056-6",
)
ALMELA_2012 = Source(
    "ALMELA_2012",
    "Almela et al. 2012, PLoS One 7:e47089 (naloxone-precipitated morphine withdrawal raises "
    "ACTH and corticosterone in rats; a CRF1 antagonist lowers the ACTH rise)",
    doi="10.1371/journal.pone.0047089",
)
ZHANG_2008 = Source(
    "ZHANG_2008",
    "Zhang et al. 2008, Am J Drug Alcohol Abuse 34:760 (serum cortisol raised in acute heroin "
    "withdrawal, n = 60)",
    doi="10.1080/00952990802385781",
)

KARIN_2020 = Source(
    "KARIN_2020",
    'Karin et al. 2020, Mol Syst Biol ("A new model for the HPA axis explains dysregulation '
    'of stress hormones on the timescale of weeks": HPA '
    "model with gland masses: hormones are growth factors of the glands they drive; "
    "dysregulation on the timescale of weeks)",
    doi="10.15252/msb.20209510",
    pmid="32672906",
)
REUL_DE_KLOET_1985 = Source(
    "REUL_DE_KLOET_1985",
    "Reul & de Kloet 1985, Endocrinology 117:2505 (two receptor systems for corticosterone in "
    "rat brain, type I (MR) and type II (GR): microdistribution and differential occupation)",
    doi="10.1210/endo-117-6-2505",
)
REUL_DE_KLOET_1986 = Source(
    "REUL_DE_KLOET_1986",
    "Reul & de Kloet 1986, J Steroid Biochem 24:269 (corticosterone binds the MR-like type I "
    "site with KD ~0.5 nM, 5-10-fold above its affinity for GR, KD ~2.5-5 nM)",
    doi="10.1016/0022-4731(86)90063-4",
)
REUL_1987 = Source(
    "REUL_1987",
    "Reul, van den Bosch & de Kloet 1987, J Endocrinol 115(3) (occupation of type I (MR) and "
    "type II (GR) receptors in rat brain: 77.8 % and 28.1 % at basal corticosterone 43 nmol/L, "
    "97 % and 74.5 % at the 811 nmol/L peak 30 min into a novel environment; abstract)",
    url="https://joe.bioscientifica.com/abstract/journals/joe/115/3/joe_115_3_013.xml",
)
DEBONO_2009 = Source(
    "DEBONO_2009",
    "Debono et al. 2009, J Clin Endocrinol Metab (24-h serum cortisol of 33 healthy "
    "volunteers, 20-min sampling: peak 15.5 ug/dL at 08:32, nadir < 2.0 ug/dL at 00:18; "
    "figure 1)",
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC2684472",
)

# --- alpha2 agonists -----------------------------------------------------------------------
AL_GHANANEEM_2009 = Source(
    "AL_GHANANEEM_2009",
    "Al-Ghananeem et al. 2009, J Pharm Sci 98:319 (lofexidine PK: tmax ~3 h, k 0.063/h, "
    "Cmax 1.755 ng/mL after 1.2 mg)",
    doi="10.1002/jps.21401",
)
DAVIES_1977 = Source(
    "DAVIES_1977",
    "Davies et al. 1977, Clin Pharmacol Ther 21:593 (clonidine F 75%, t1/2 alpha 10.8 min, "
    "beta 8.5 h; renal clearance 1.82 mL/min/kg, 40-50% unchanged)",
    pmid="870272",
)
WING_1977 = Source(
    "WING_1977",
    "Wing et al. 1977, Eur J Clin Pharmacol 12:463 (clonidine 300 ug oral: Cmax 1.34 ng/mL, "
    "t1/2 10 h)",
    pmid="598422",
)
FRISK_HOLMBERG_1984 = Source(
    "FRISK_HOLMBERG_1984",
    "Frisk-Holmberg et al. 1984, Eur J Clin Pharmacol 26:309 (clonidine depressor EC50 "
    "0.65 ng/mL)",
    pmid="6734692",
)
GORODETZKY_2017 = Source(
    "GORODETZKY_2017",
    "Gorodetzky et al. 2017, Drug Alcohol Depend 176:79-88 (lofexidine 3.2 mg/d HCl QID days "
    "1-5 vs placebo; SOWS-Gossop day 3 6.32 vs 8.67)",
    url="Drug Alcohol Depend 2017;176:79",
)
WU_1999 = Source(
    "WU_1999",
    "Wu et al. 1999, Neuroscience 91:1389 (locus coeruleus unit firing -86% 10 min after "
    "clonidine 2 ug/kg IV, dog)",
    doi="10.1016/s0306-4522(98)00600-9",
)

# --- Rat pharmacokinetics --------------------------------------------------------------------
AKALA_2008 = Source(
    "AKALA_2008",
    "Akala et al. 2008 (naltrexone PK in Wistar rats, IV: volume 2.5-3 L/kg, t1/2 ~1 h)",
    pmid="18832863",
)
MISRA_1976 = Source(
    "MISRA_1976",
    "Misra et al. 1976, Drug Metab Dispos (rat s.c. [3H]naltrexone 10 mg/kg: plasma and brain "
    "peak within 0.5 h)",
    url="Drug Metab Dispos 1976 (identifier not seen)",
)
LUDDEN_1976 = Source(
    "LUDDEN_1976",
    "Ludden et al. 1976, J Pharm Sci 65:712 (naltrexone plasma protein binding: rat 20%)",
    pmid="819644",
)
GOTTAS_2013 = Source(
    "GOTTAS_2013",
    "Gottås et al. 2013, Br J Pharmacol (heroin, 6-MAM and morphine in blood and striatal "
    "ECF after IV heroin in freely moving rats: 6-MAM tmax 2.0 min blood, 4.3 min ECF; "
    "heroin undetectable after 18 min in blood)",
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC3791993",
)
GOTTAS_2014 = Source(
    "GOTTAS_2014",
    "Gottås et al. 2014, Int J Neuropsychopharmacol 17:1357 (3 umol/rat IV: ECF heroin 1.2 uM "
    "at 2 min, 6-MAM 6.4 uM at 8 min)",
    pmid="24576415",
)
SUZUKI_2010 = Source(
    "SUZUKI_2010",
    "Suzuki et al. 2010, J Pharm Sci 99:413 (rat naloxone blood-brain transport: brain efflux "
    "t1/2 15.1 min, not a P-gp substrate)",
    doi="10.1002/jps.21819",
)
NALOXONE_IV_1973 = Source(
    "NALOXONE_IV_1973",
    "J Pharm Sci 1973;62(9) (rat serum naloxone 258 ng/mL 5 min after 1 mg/kg IV)",
    doi="10.1002/jps.2600620903",
)
HUHN_2020 = Source(
    "HUHN_2020",
    "Huhn, Hobelmann, Oyler & Strain 2020, Drug Alcohol Depend 214:108147 (fentanyl urine "
    "clearance 7.3 +- 4.9 d after last use in 12 people with OUD, vs 2-4 d for other "
    "short-acting opioids; lipophilic tissue storage suspected)",
    doi="10.1016/j.drugalcdep.2020.108147",
    pmid="32650192",
)
MATHER_GOURLAY_1991 = Source(
    "MATHER_GOURLAY_1991",
    "Mather & Gourlay 1991, 'Pharmacokinetics of fentanyl' (book chapter): Vss 300-400 "
    "L/70 kg, CL 0.5-1.2 L/min (shared/evidence/pharmacology.csv, medium)",
    doi="10.1007/978-3-642-76872-9_7",
)

# --- Social connection (model/social_connection.py) ----------------------------------------
INAGAKI_2019 = Source(
    "INAGAKI_2019",
    "Inagaki, Hazlett & Andreescu 2019, Soc Cogn Affect Neurosci 14:471-479 (naltrexone 50 mg "
    "vs placebo, n = 80 between subjects; connection to close others' vs strangers' messages "
    "4.671 +- 0.871 vs 1.966 +- 0.720 on 1-7; drug effect F(1,76) = 2.017, p = .080; task "
    "about one hour after the pill, NCT02818036)",
    doi="10.1093/scan/nsz026",
    pmid="30976797",
)
PANKSEPP_1978 = Source(
    "PANKSEPP_1978",
    "Panksepp, Herman, Conner, Bishop & Scott 1978, Biol Psychiatry 13:607 (morphine "
    "0.1-0.5 mg/kg abolishes separation distress in puppies: brain opioid theory of social "
    "attachment)",
    pmid="83167",
)
MANNINEN_2017 = Source(
    "MANNINEN_2017",
    "Manninen et al. 2017, J Neurosci 37:6125 (social laughter releases endogenous opioids: "
    "[11C]carfentanil PET, n = 12)",
    doi="10.1523/JNEUROSCI.0688-16.2017",
)

# --- Cocaine and the dopamine transporter (pharmacokinetics/cocaine.py, receptors/) ---------
JEFFCOAT_1989 = Source(
    "JEFFCOAT_1989",
    "Jeffcoat, Perez-Reyes, Hill, Sadler & Cook 1989, Drug Metab Dispos 17:153-159 (cocaine "
    "disposition after IV, nasal insufflation and smoking; absorption half-times 1.1 min "
    "smoked, 11.7 min intranasal; intranasal bioavailability 80 %)",
    pmid="2565204",
)
CHOW_1985 = Source(
    "CHOW_1985",
    "Chow, Ambre, Ruo, Atkinson, Bowsher & Fischman 1985, Clin Pharmacol Ther 38:318-324 "
    "(IV cocaine kinetics and heart-rate biophase: CL 2.10 L/min, Vss 1.96 L/kg, t1/2 48 "
    "min, effect peak 7.3 min)",
    doi="10.1038/clpt.1985.179",
)
EDWARDS_BOWLES_1988 = Source(
    "EDWARDS_BOWLES_1988",
    "Edwards & Bowles 1988, Pharm Res 5:440-442 (cocaine serum protein binding: free fraction "
    "0.083 +- 0.018)",
    doi="10.1023/a:1015992502509",
    pmid="3247314",
)
BENUCK_1987 = Source(
    "BENUCK_1987",
    "Benuck, Lajtha & Reith 1987, J Pharmacol Exp Ther 243:144-149 (mouse i.p. cocaine: plasma "
    "and brain t1/2 16 min, brain peak within 5 min, brain:plasma ~7)",
    pmid="3668848",
)
VOLKOW_1997 = Source(
    "VOLKOW_1997",
    "Volkow et al. 1997, Nature 386:827-830 (human DAT occupancy by IV cocaine, [11C]cocaine "
    "PET; the same subjects' ED50 0.13 mg/kg in Volkow et al. 1999, Life Sci 65:PL7-12)",
    doi="10.1038/386827a0",
)
GIROS_1996 = Source(
    "GIROS_1996",
    "Giros, Jaber, Jones, Wightman & Caron 1996, Nature 379:606-612 (DAT knockout: "
    "extracellular dopamine persists at least 100 times longer)",
    doi="10.1038/379606a0",
    pmid="8628395",
)
OXYTOCIN_RAT_PK = Source(
    "OXYTOCIN_RAT_PK",
    "Evidence for non-linear pharmacokinetics of oxytocin in anesthetized rat, J Pharm Pharm "
    "Sci (IV bolus; <= 500 ng/kg: CL 0.0624 L/min/kg, Vc 0.79 L/kg, t1/2 7.94 min)",
    doi="10.18433/J3PK5X",
    pmid="19183510",
)
EBNER_2000 = Source(
    "EBNER_2000",
    "Ebner, Wotjak, Landgraf & Engelmann 2000, Brain Res (social defeat: septal oxytocin "
    "release 254 +- 43 % of baseline, rat microdialysis)",
    pmid="10924679",
)
GTOPDB_OXYTOCIN_RECEPTOR = Source(
    "GTOPDB_OXYTOCIN_RECEPTOR",
    "IUPHAR/BPS Guide to Pharmacology, OT receptor (target 369): oxytocin pKd 8.2-9.5, rat "
    "pKi 8.7",
    url="https://www.guidetopharmacology.org/GRAC/ObjectDisplayForward?objectId=369",
)
PETERS_2017_OXYTOCIN_ETHANOL = Source(
    "PETERS_2017_OXYTOCIN_ETHANOL",
    "Peters, Bowen, Bohrer, McGregor & Neumann 2017, Addict Biol 22:702-711 (oxytocin 1 ug "
    "i.c.v. completely blocked the accumbens dopamine release evoked by ethanol 1.5 g/kg i.p. "
    "in ethanol-naive and chronically treated rats; abstract seen)",
    doi="10.1111/adb.12362",
)
TIDEY_MICZEK_1997 = Source(
    "TIDEY_MICZEK_1997",
    "Tidey & Miczek 1997, Psychopharmacology 130:203 (acquisition of cocaine "
    "self-administration after social stress: accumbens dopamine 145 % of baseline under "
    "threat in previously defeated rats vs 120 % in non-defeated)",
    doi="10.1007/s002130050230",
)
WILKINSON_1976 = Source(
    "WILKINSON_1976",
    "Wilkinson, Sedman, Sakmar, Earhart, Weidler & Wagner 1976, Clin Pharmacol Ther 19:213-223 "
    "(blood ethanol during and after a 2-h constant-rate IV infusion: one-compartment "
    "Michaelis-Menten fit, Vm 0.232 mg/(mL h), Km 0.0821 mg/mL)",
    doi="10.1002/cpt1976192213",
)
WIDMARK_FACTORS_2005 = Source(
    "WIDMARK_FACTORS_2005",
    "Widmark factors for local Chinese in Hong Kong, Forensic Sci Int 2005, 151:23-29 "
    "(theoretical r0: male 0.68, female 0.59)",
    doi="10.1016/j.forsciint.2004.06.032",
    pmid="15935939",
)
KELLY_1987 = Source(
    "KELLY_1987",
    "Kelly, Bonthius & West 1987, Alcohol Clin Exp Res 11:281-286 (developmental changes in "
    "alcohol pharmacokinetics in rats: 2.5 g/kg intragastric, elimination 42.2 mg/dL/h at "
    "60 days)",
    url="Alcohol Clin Exp Res 1987;11(3):281",
)
