# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from dataclasses import dataclass
from typing import Literal, TypeAlias

DeviceClass: TypeAlias = Literal["GPU", "TPU", "NEURON", "AMD_GPU", "HABANA_GAUDI", "APPLE_SILICON"]
GPUType: TypeAlias = Literal[
    "A2",
    "A10",
    "A10G",
    "A100",
    "A100_80G",
    "B200",
    "H100",
    "H200",
    "L4",
    "L40s",
    "T4",
    "V100",
    "RTX_PRO_4500",
    "RTX_PRO_6000",
    "GB10",
    "T4 shared",
    "L4 shared",
    "A10G shared",
    "A10 shared",
    "L40S shared",
]
TPUType: TypeAlias = Literal["V5E", "V5P", "V6E"]
NeuronType: TypeAlias = Literal["Inf1", "Inf2", "Trn1", "Trn1n", "Trn2", "Trn2u"]
AMDGPUType: TypeAlias = Literal[
    "MI100", "MI210", "MI250", "MI250X", "MI300A", "MI300X", "MI325X", "MI350X", "MI355X"
]
HabanaGaudiType: TypeAlias = Literal["Gaudi1"]
CPUBaseType: TypeAlias = int | float | str

@dataclass
class Device:
    quantity: int
    device_class: DeviceClass
    device: str | None
    partition: str | None
    def __init__(
        self,
        quantity: int,
        device_class: DeviceClass,
        device: str | None = None,
        partition: str | None = None,
    ) -> None: ...

def GPU(
    device: GPUType,
    quantity: Literal[1, 2, 3, 4, 5, 6, 7, 8],
    partition: str | None = None,
) -> Device: ...
def TPU(device: TPUType, partition: str | None = None) -> Device: ...
def Neuron(device: NeuronType) -> Device: ...
def AMD_GPU(device: AMDGPUType) -> Device: ...
def HABANA_GAUDI(device: HabanaGaudiType) -> Device: ...
def APPLE_SILICON() -> Device: ...

@dataclass
class Resources:
    cpu: CPUBaseType | tuple[CPUBaseType, CPUBaseType] | None
    memory: str | tuple[str, str] | None
    # The SDK spells every accepted "<TYPE>:<N>" string as a Literal; a str is accepted here.
    gpu: str | int | Device | None
    disk: str | None
    shm: str | Literal["auto"] | None
    def __init__(
        self,
        cpu: CPUBaseType | tuple[CPUBaseType, CPUBaseType] | None = None,
        memory: str | tuple[str, str] | None = None,
        gpu: str | int | Device | None = None,
        disk: str | None = None,
        shm: str | Literal["auto"] | None = None,
    ) -> None: ...
