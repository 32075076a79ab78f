"""Passive exchange between plasma and a peripheral compartment, driven by a clearance.

    flow = clearance * (plasma_concentration - peripheral_amount / peripheral_volume)

the net flow (nmol/h) out of plasma; used for naloxone's peripheral compartment,
buprenorphine's slow tissue compartment and fentanyl's adipose store.
"""


def clearance_exchange(clearance, plasma_concentration, peripheral_amount, peripheral_volume):
    """Net flow from plasma into the compartment; arithmetic on floats, arrays or symbols."""
    return clearance * (plasma_concentration - peripheral_amount / peripheral_volume)
