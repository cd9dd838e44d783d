@_exported import TestSupport
import Foundation
