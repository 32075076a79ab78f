"""The phenomena opioidsim must reproduce, each with the seed document(s) that claim it.

From the project's mission (18 phenomena over the five seeds: 000 gut microbiome review,
Ren & Lotfipour 2020; 001 opioid withdrawal review, Psychopharmacology 2023; 002 oxytocin
review, Ferrer-Perez et al. 2021; 003 naltrexone mechanism; 004 naltrexone and social
connection, Inagaki et al. 2016), plus REWARD-DA, the dopamine response that NTX-BLOCK and
WD-NEURAL build on, and HPA, the stress axis that WD-NEURAL, the defeat and the gut
experiments read. The validation report shows every phenomenon, with its experiments or,
where none exists yet, the issue that will bring its mechanism.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phenomenon:
    id: str
    seeds: tuple[str, ...]
    claim: str
    planned: str = ""  # where no experiment exists yet: the issue that brings it


def _p(id_: str, seeds: str, claim: str, planned: str = "") -> Phenomenon:
    return Phenomenon(id_, tuple(seeds.split(", ")), claim, planned)


PHENOMENA: dict[str, Phenomenon] = {
    p.id: p
    for p in (
        _p("NTX-BLOCK", "003", "naltrexone blocks the dopamine and reward response to an "
           "opioid challenge, for days after a dose"),
        _p("NTX-OCC", "003", "mu-receptor occupancy vs naltrexone dose and time since dose, "
           "as PET measures it"),
        _p("NTX-PRECIP", "003, 001", "naltrexone or naloxone given to a dependent subject "
           "precipitates withdrawal, more intense and faster than spontaneous withdrawal; "
           "risk falls with time since last opioid"),
        _p("NTX-RELAPSE", "003", "blocking reinforcement lowers relapse in treated "
           "populations", "issue 15 (behaviour)"),
        _p("NTX-SOCIAL", "004", "naltrexone lowers felt social connection (lab task and daily "
           "reports) but not positive mood, in the 31-person crossover design"),
        _p("WD-SPONT", "001", "spontaneous withdrawal time course after stopping short- vs "
           "long-acting opioids"),
        _p("WD-NEURAL", "001", "in withdrawal: accumbens dopamine below baseline, locus "
           "coeruleus hyperactivity, CRF/dynorphin and HPA activation"),
        _p("WD-NEGREINF", "001", "withdrawal drives drug seeking: escalation with long "
           "access, relapse", "issue 15 (behaviour)"),
        _p("TOL", "001, 000", "tolerance to opioid effects with repeated dosing, and its "
           "recovery"),
        _p("DEFEAT-REWARD", "002", "repeated social defeat raises drug reward (place "
           "preference to a dose that is sub-threshold in controls)", "issue 14"),
        _p("OXT-BLOCK", "002", "oxytocin given before each defeat prevents that rise",
           "issue 14"),
        _p("OXT-ADDICT", "002", "oxytocin blunts drug reward, withdrawal and stress-induced "
           "reinstatement; chronic drug or stress dysregulates it"),
        _p("COCAINE", "002", "cocaine occupies the dopamine transporter and raises accumbens "
           "dopamine (most social-defeat and oxytocin place-preference data are for cocaine)"),
        _p("GUT-DYSBIOSIS", "000", "opioids cause dysbiosis and barrier disruption",
           "issue 16 (gut-brain axis)"),
        _p("GUT-TOL", "000", "depleting the microbiome attenuates tolerance; "
           "probiotics/transplant restore", "issue 16"),
        _p("GUT-REWARD", "000", "microbiome depletion changes drug reward; metabolites (SCFA) "
           "reverse it", "issue 16"),
        _p("GUT-STRESS", "000", "gut and HPA axis act on each other: probiotics attenuate "
           "the stress response", "issue 16"),
        _p("NTX-ALC", "003", "naltrexone lowers alcohol reward and drinking by blocking "
           "ethanol-driven endogenous opioid signalling (laboratory part; drinking: issue 15)"),
        _p("EXEC", "000, 001", "chronic opioid use compromises executive control (more "
           "impulsive choice), with gut and stress modulating it"),
        _p("HPA", "001, 002", "the stress axis: cortisol kinetics and awakening response, "
           "a stress response that opioid agonists blunt and antagonists raise"),
        _p("REWARD-DA", "003, 001", "mu agonism raises accumbens dopamine with the dose (the "
           "response naltrexone blocks and withdrawal depresses)"),
    )
}  # fmt: skip
